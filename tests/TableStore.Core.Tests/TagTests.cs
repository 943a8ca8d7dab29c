using TableStore.Core.Data;
using TableStore.Core.Scan;
using TableStore.Core.Tests.Support;

namespace TableStore.Core.Tests;

public sealed class TagTests
{
    [Fact]
    public async Task A_tag_reads_its_snapshot_after_later_commits()
    {
        var table = await TestTables.CreateAsync(new InMemoryObjectStore(), TestTables.Orders());
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => table.Tags.CreateAsync("empty"));
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [1L, "a", 1m, null])]);
        var v1 = await table.Tags.CreateAsync("v1");
        Assert.Equal(1, v1.Snapshot.Id);
        await table.WriteAndCommitAsync([new ChangeRow(RowKind.Insert, [2L, "b", 2m, null]), new ChangeRow(RowKind.Delete, [1L, "a", null, null])]);
        await table.Tags.CreateAsync("v2.final");
        await table.Tags.CreateAsync("first-again", 1);

        var tagged = await (await table.ScanAsync(new ScanOptions { Tag = "v1" })).ToListAsync();
        Assert.Equal(1L, Assert.Single(tagged)[0]);
        Assert.Equal(2L, Assert.Single(await (await table.ScanAsync(new ScanOptions { Tag = "v2.final" })).ToListAsync())[0]);
        Assert.Equal(["first-again", "v1", "v2.final"], (await table.Tags.ListAsync()).Select(t => t.Name));

        var dup = await Assert.ThrowsAsync<InvalidInputException>(() => table.Tags.CreateAsync("v1", 2));
        Assert.Contains("already exists on db.t (snapshot 1)", dup.Message);
        await table.Tags.DeleteAsync("v1");
        var gone = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => table.ScanAsync(new ScanOptions { Tag = "v1" }));
        Assert.Contains("tags: first-again, v2.final", gone.Message);
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => table.Tags.DeleteAsync("v1"));
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => table.Tags.CreateAsync("later", 9));
        await Assert.ThrowsAsync<InvalidInputException>(() => table.ScanAsync(new ScanOptions { Tag = "v2.final", SnapshotId = 1 }));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("123")]
    [InlineData("with space")]
    public void Tag_names_cannot_be_paths_or_snapshot_ids(string name)
    {
        var e = Assert.Throws<InvalidInputException>(() => Tags.TagManager.ValidateName(name));
        Assert.Contains("Invalid tag name", e.Message);
    }
}
