using System.Runtime.CompilerServices;
using TableStore.Core.IO;

namespace TableStore.Testing;

/// <summary>
/// Test decorator that counts calls and injects one fault at the Nth call (1-based), optionally only
/// counting calls whose path matches a filter. Used to crash a commit at every possible step.
/// </summary>
public sealed class FaultInjectingObjectStore(IObjectStore inner) : IObjectStore
{
    private int _calls;
    private volatile bool _crashed;

    public int FailAtCall { get; set; }
    public FaultKind Kind { get; set; } = FaultKind.FailBefore;
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(10);
    /// <summary>Only calls that write or delete are counted when true (reads pass through uncounted).</summary>
    public bool CountMutationsOnly { get; set; }
    public int Calls => Volatile.Read(ref _calls);
    public bool Crashed => _crashed;
    public IObjectStore Inner => inner;
    public string Location => inner.Location;

    public void Arm(int failAtCall, FaultKind kind, bool countMutationsOnly = false)
    {
        Interlocked.Exchange(ref _calls, 0);
        FailAtCall = failAtCall;
        Kind = kind;
        CountMutationsOnly = countMutationsOnly;
        _crashed = false;
    }

    public void Disarm()
    {
        FailAtCall = 0;
        _crashed = false;
    }

    private async Task<T> Run<T>(string op, string path, bool mutation, Func<Task<T>> call)
    {
        if (_crashed) throw new InjectedFaultException($"store is down after an injected crash ({op} {path})");
        if (CountMutationsOnly && !mutation) return await call().ConfigureAwait(false);
        int n = Interlocked.Increment(ref _calls);
        if (n != FailAtCall || FailAtCall == 0) return await call().ConfigureAwait(false);
        switch (Kind)
        {
            case FaultKind.FailBefore:
                throw new InjectedFaultException($"injected failure before call {n} ({op} {path})");
            case FaultKind.FailAfter:
                await call().ConfigureAwait(false);
                throw new InjectedFaultException($"injected failure after call {n} ({op} {path})");
            case FaultKind.Crash:
                _crashed = true;
                throw new InjectedFaultException($"injected crash at call {n} ({op} {path})");
            default:
                await Task.Delay(Delay).ConfigureAwait(false);
                return await call().ConfigureAwait(false);
        }
    }

    public int? RangeReadBlockSize => inner.RangeReadBlockSize;

    public string? LocalPath(string path) => inner.LocalPath(path);

    public Task<byte[]> GetAsync(string path, CancellationToken ct = default) => Run("get", path, false, () => inner.GetAsync(path, ct));
    public Task<Stream> OpenReadAsync(string path, CancellationToken ct = default) => Run("open-read", path, false, () => inner.OpenReadAsync(path, ct));
    public Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken ct = default) =>
        Run("get-range", path, false, () => inner.GetRangeAsync(path, offset, length, ct));
    public Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) =>
        Run("put", path, true, async () => { await inner.PutAsync(path, data, ct).ConfigureAwait(false); return true; });
    public Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct = default) =>
        Run("put-if-absent", path, true, () => inner.PutIfAbsentAsync(path, data, ct));
    public Task DeleteAsync(string path, CancellationToken ct = default) =>
        Run("delete", path, true, async () => { await inner.DeleteAsync(path, ct).ConfigureAwait(false); return true; });
    public Task<bool> ExistsAsync(string path, CancellationToken ct = default) => Run("exists", path, false, () => inner.ExistsAsync(path, ct));

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var items = await Run("list", prefix, false, async () =>
        {
            var list = new List<ObjectInfo>();
            await foreach (var o in inner.ListAsync(prefix, ct).ConfigureAwait(false)) list.Add(o);
            return list;
        }).ConfigureAwait(false);
        foreach (var o in items) yield return o;
    }
}
