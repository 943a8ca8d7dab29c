using TableStore.Core.IO;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

/// <summary>The contract every <see cref="IObjectStore"/> must keep; the cloud stores join this suite.</summary>
public abstract class ObjectStoreConformanceTests : IDisposable
{
    protected abstract IObjectStore Store { get; }
    public virtual void Dispose() => GC.SuppressFinalize(this);

    [Fact]
    public async Task Put_get_and_ranged_get()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        await Store.PutAsync("a/b/file.bin", data);
        Assert.Equal(data, await Store.GetAsync("a/b/file.bin"));
        Assert.Equal(data[100..150], await Store.GetRangeAsync("a/b/file.bin", 100, 50));
        Assert.Equal(data[990..], await Store.GetRangeAsync("a/b/file.bin", 990, 50));
        Assert.Empty(await Store.GetRangeAsync("a/b/file.bin", 2000, 10));
    }

    [Fact]
    public async Task Put_replaces_and_put_if_absent_does_not()
    {
        await Store.PutAsync("x", new byte[] { 1 });
        await Store.PutAsync("x", new byte[] { 2 });
        Assert.Equal(new byte[] { 2 }, await Store.GetAsync("x"));
        Assert.False(await Store.PutIfAbsentAsync("x", new byte[] { 3 }));
        Assert.Equal(new byte[] { 2 }, await Store.GetAsync("x"));
        Assert.True(await Store.PutIfAbsentAsync("y/z", new byte[] { 4 }));
        Assert.Equal(new byte[] { 4 }, await Store.GetAsync("y/z"));
    }

    [Fact]
    public async Task Missing_objects_are_reported_by_name()
    {
        var e = await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.GetAsync("no/such"));
        Assert.Contains("no/such", e.Message);
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.GetRangeAsync("no/such", 0, 1));
        Assert.False(await Store.ExistsAsync("no/such"));
        await Store.DeleteAsync("no/such");
    }

    [Fact]
    public async Task List_by_prefix_is_sorted_and_exact()
    {
        foreach (var p in new[] { "t/snapshot/snapshot-2", "t/snapshot/snapshot-10", "t/schema/schema-0", "t2/x", "t/snapshot/LATEST" })
            await Store.PutAsync(p, new byte[] { 0 });
        var listed = (await Store.ListAllAsync("t/snapshot/")).Select(o => o.Path).ToList();
        Assert.Equal(["t/snapshot/LATEST", "t/snapshot/snapshot-10", "t/snapshot/snapshot-2"], listed);
        Assert.Equal(4, (await Store.ListAllAsync("t/")).Count);
        Assert.Equal(5, (await Store.ListAllAsync("")).Count);
        Assert.Empty(await Store.ListAllAsync("nothing/"));
        Assert.All(await Store.ListAllAsync("t/"), o => Assert.Equal(1, o.Size));
    }

    [Fact]
    public async Task Delete_removes_and_exists_tells()
    {
        await Store.PutAsync("d/1", new byte[] { 1 });
        Assert.True(await Store.ExistsAsync("d/1"));
        await Store.DeleteAsync("d/1");
        Assert.False(await Store.ExistsAsync("d/1"));
        Assert.Empty(await Store.ListAllAsync("d/"));
    }

    [Fact]
    public async Task Racing_put_if_absent_has_exactly_one_winner_every_time()
    {
        for (int round = 0; round < 100; round++)
        {
            var path = $"race/snapshot-{round}";
            using var start = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
            {
                start.Wait();
                return await Store.PutIfAbsentAsync(path, new[] { (byte)i });
            })).ToArray();
            start.Set();
            var results = await Task.WhenAll(tasks);
            Assert.True(results.Count(r => r) == 1, $"round {round}: {results.Count(r => r)} winners");
            Assert.Equal(new[] { (byte)Array.IndexOf(results, true) }, await Store.GetAsync(path));
        }
        Assert.Equal(100, (await Store.ListAllAsync("race/")).Count);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("a\\b")]
    public async Task Paths_cannot_escape_the_root(string path)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(path, new byte[] { 1 }));
    }
}

public sealed class InMemoryObjectStoreTests : ObjectStoreConformanceTests
{
    protected override IObjectStore Store { get; } = new InMemoryObjectStore();
}

public sealed class LocalFileSystemObjectStoreTests : ObjectStoreConformanceTests
{
    private readonly TempDir _dir = new();
    private readonly LocalFileSystemObjectStore _store;

    public LocalFileSystemObjectStoreTests() => _store = new LocalFileSystemObjectStore(_dir.Path);

    protected override IObjectStore Store => _store;

    public override void Dispose()
    {
        _dir.Dispose();
        base.Dispose();
    }

    [Fact]
    public async Task Temp_files_of_interrupted_writes_are_never_listed()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "t"));
        await File.WriteAllBytesAsync(Path.Combine(_dir.Path, "t", ".snapshot-1.tmp-abc"), [1]);
        Assert.Empty(await Store.ListAllAsync("t/"));
        Assert.True(await Store.PutIfAbsentAsync("t/snapshot-1", new byte[] { 2 }));
    }

    [Fact]
    public void Location_is_a_file_uri() => Assert.StartsWith("file:///", Store.Location);
}

public sealed class FaultInjectingObjectStoreTests
{
    [Fact]
    public async Task Fails_before_after_or_crashes_at_the_nth_call()
    {
        var inner = new InMemoryObjectStore();
        var store = new FaultInjectingObjectStore(inner);
        store.Arm(2, FaultKind.FailBefore);
        await store.PutAsync("a", new byte[] { 1 });
        await Assert.ThrowsAsync<InjectedFaultException>(() => store.PutAsync("b", new byte[] { 1 }));
        Assert.False(await inner.ExistsAsync("b"));

        store.Arm(1, FaultKind.FailAfter);
        await Assert.ThrowsAsync<InjectedFaultException>(() => store.PutIfAbsentAsync("c", new byte[] { 1 }));
        Assert.True(await inner.ExistsAsync("c"));

        store.Arm(1, FaultKind.Crash);
        await Assert.ThrowsAsync<InjectedFaultException>(() => store.GetAsync("a"));
        await Assert.ThrowsAsync<InjectedFaultException>(() => store.GetAsync("a"));
        Assert.True(store.Crashed);
        store.Disarm();
        Assert.Equal(new byte[] { 1 }, await store.GetAsync("a"));

        store.Arm(1, FaultKind.Delay);
        store.Delay = TimeSpan.FromMilliseconds(1);
        Assert.Equal(new byte[] { 1 }, await store.GetAsync("a"));

        store.Arm(1, FaultKind.FailBefore, countMutationsOnly: true);
        Assert.True(await store.ExistsAsync("a"));
        await Assert.ThrowsAsync<InjectedFaultException>(() => store.DeleteAsync("a"));
    }
}

public sealed class CountingObjectStoreTests : ObjectStoreConformanceTests
{
    private readonly CountingObjectStore _store = new(new InMemoryObjectStore());

    protected override IObjectStore Store => _store;

    [Fact]
    public async Task Requests_are_counted_by_kind()
    {
        await Store.PutAsync("a", new byte[] { 1 });
        await Store.PutIfAbsentAsync("b", new byte[] { 1 });
        await Store.GetAsync("a");
        await Store.ExistsAsync("a");
        await Store.ListAllAsync("");
        await Store.DeleteAsync("a");
        Assert.Equal(new long[] { 1, 0, 1, 1, 1, 1, 1 }, Enum.GetValues<StoreRequest>().Select(k => _store.Counts[k]));
        Assert.IsType<InMemoryObjectStore>(Assert.IsType<CountingObjectStore>(new ObjectStoreFactory(new MemoryWarehouseOpener()).Open("memory://")).Inner);
    }
}
