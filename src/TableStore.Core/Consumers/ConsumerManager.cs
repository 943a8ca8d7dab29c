using System.Globalization;
using System.Text.RegularExpressions;
using TableStore.Core.IO;
using TableStore.Core.Serialization;
using TableStore.Core.Table;

namespace TableStore.Core.Consumers;

/// <summary>
/// Consumers of one table and the next snapshot each will read. Snapshot expiration keeps every snapshot from the
/// smallest position on, so a consumer that stops and resumes never finds its next snapshot expired. Dropping a
/// consumer releases them.
/// </summary>
/// <remarks>
/// A position only moves forward, even when two readers share a consumer id and record at once. The store offers
/// put-if-absent, not compare-and-swap, so each position is an object of its own, <c>consumer/&lt;id&gt;/next-N</c>,
/// created with put-if-absent, and the consumer's position is the largest N present. Recording a position also
/// deletes older ones, but only those below a position that has existed for <see cref="SettleTime"/>: a listing can
/// miss an object created while it runs, so deleting below a brand-new position could leave a reader listing at that
/// moment with neither (it would see the position go back); an object present throughout a listing is always
/// listed, and a settled one was. The single file <c>consumer/consumer-&lt;id&gt;</c> of earlier versions is still
/// read as one more position.
/// </remarks>
public sealed partial class ConsumerManager(IObjectStore store, TablePaths paths, TimeProvider? time = null)
{
    /// <summary>How long a position must have existed before the positions below it are deleted: far longer than a listing takes.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _legacyGone = new(StringComparer.Ordinal);

    private sealed record ConsumerJson(long NextSnapshot);

    /// <summary>
    /// Records that the consumer will read <paramref name="nextSnapshot"/> next, unless it is already further (another
    /// reader with the same id recorded more): a position never moves back. Returns the consumer's position now.
    /// </summary>
    public async Task<long> SetAsync(string id, long nextSnapshot, CancellationToken ct = default)
    {
        ValidateId(id);
        if (nextSnapshot < 1) throw new InvalidInputException($"Consumer '{id}': the next snapshot must be 1 or more, got {nextSnapshot}.");
        var (current, stale) = await ReadPositionsAsync(id, ct).ConfigureAwait(false);
        if (current >= nextSnapshot) return current.Value;
        await store.PutIfAbsentAsync(paths.ConsumerPosition(id, nextSnapshot), Json.Serialize(new ConsumerJson(nextSnapshot)), ct).ConfigureAwait(false);
        // Only positions below a settled one go (see the remarks), and never ours or one a racing reader wrote above it.
        var settledBefore = _time.GetUtcNow() - SettleTime;
        long settled = stale.Where(p => p.Modified <= settledBefore).Select(p => p.Next).DefaultIfEmpty(0).Max();
        foreach (var old in stale.Where(p => p.Next < settled))
            await store.DeleteAsync(old.Path, ct).ConfigureAwait(false);
        // The single file of earlier versions is read only while no versioned position is listed; once one has settled
        // it can go (once per consumer and process: deleting a missing object is harmless, but not free).
        if (settled > 0 && _legacyGone.TryAdd(id, true)) await store.DeleteAsync(paths.ConsumerFile(id), ct).ConfigureAwait(false);
        return nextSnapshot;
    }

    public async Task<Consumer?> TryGetAsync(string id, CancellationToken ct = default)
    {
        ValidateId(id);
        var (current, _) = await ReadPositionsAsync(id, ct).ConfigureAwait(false);
        return current is { } next ? new Consumer(id, next) : null;
    }

    public async Task<List<Consumer>> ListAsync(CancellationToken ct = default)
    {
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var o in store.ListAsync(paths.ConsumerDir, ct).ConfigureAwait(false))
            if (await ParseAsync(o.Path, ct).ConfigureAwait(false) is { } p)
                positions[p.Id] = Math.Max(p.Next, positions.GetValueOrDefault(p.Id));
        return positions.Select(p => new Consumer(p.Key, p.Value)).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    public async Task DeleteAsync(string id, CancellationToken ct = default)
    {
        ValidateId(id);
        var (current, all) = await ReadPositionsAsync(id, ct).ConfigureAwait(false);
        if (current is null)
        {
            var ids = (await ListAsync(ct).ConfigureAwait(false)).Select(c => c.Id).ToList();
            throw new InvalidInputException($"Consumer '{id}' does not exist on {paths.TableName} ({(ids.Count == 0 ? "no consumers" : "consumers: " + string.Join(", ", ids))}).");
        }
        foreach (var p in all) await store.DeleteAsync(p.Path, ct).ConfigureAwait(false);
        await store.DeleteAsync(paths.ConsumerFile(id), ct).ConfigureAwait(false); // a leftover of the single-file form
    }

    /// <summary>The smallest snapshot any consumer still needs, or null when there are no consumers.</summary>
    public async Task<long?> MinNextSnapshotAsync(CancellationToken ct = default)
    {
        var all = await ListAsync(ct).ConfigureAwait(false);
        return all.Count == 0 ? null : all.Min(c => c.NextSnapshot);
    }

    public static void ValidateId(string? id)
    {
        if (id is null || !IdPattern().IsMatch(id))
            throw new InvalidInputException($"Invalid consumer id '{id}': use 1 to 64 letters, digits, '_', '-' or '.', starting with a letter, digit or '_'.");
    }

    /// <summary>
    /// The consumer's position (the largest recorded, null: none) and the objects that record one. The single file of
    /// earlier versions is read only while no versioned position exists: the first versioned one is written above it,
    /// so it cannot be the largest after that (and a streaming reader's every record saves that GET).
    /// </summary>
    private async Task<(long? Current, List<(string Path, long Next, DateTimeOffset Modified)> All)> ReadPositionsAsync(string id, CancellationToken ct)
    {
        var all = new List<(string Path, long Next, DateTimeOffset Modified)>();
        await foreach (var o in store.ListAsync(paths.ConsumerPositions(id), ct).ConfigureAwait(false))
            if (await ParseAsync(o.Path, ct).ConfigureAwait(false) is { } p) all.Add((o.Path, p.Next, o.LastModified));
        if (all.Count > 0) return (all.Max(p => p.Next), all);
        var legacy = paths.ConsumerFile(id);
        // The single file of earlier versions is long settled: a position above it may replace it at once.
        try { all.Add((legacy, await ReadLegacyAsync(legacy, ct).ConfigureAwait(false), DateTimeOffset.MinValue)); }
        catch (ObjectNotFoundException) { }
        return (all.Count == 0 ? null : all.Max(p => p.Next), all);
    }

    /// <summary>The consumer and position an object under <c>consumer/</c> records, or null for anything else.</summary>
    private async Task<(string Id, long Next)?> ParseAsync(string path, CancellationToken ct)
    {
        var relative = path[paths.ConsumerDir.Length..];
        int slash = relative.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            if (!relative.StartsWith(TablePaths.ConsumerPrefix, StringComparison.Ordinal)) return null;
            var legacyId = relative[TablePaths.ConsumerPrefix.Length..];
            if (!IdPattern().IsMatch(legacyId)) return null;
            try { return (legacyId, await ReadLegacyAsync(path, ct).ConfigureAwait(false)); }
            catch (ObjectNotFoundException) { return null; } // dropped meanwhile
        }
        var id = relative[..slash];
        var name = relative[(slash + 1)..];
        if (!IdPattern().IsMatch(id) || !name.StartsWith(TablePaths.ConsumerPositionPrefix, StringComparison.Ordinal)) return null;
        // The name holds the position; the content repeats it for readers that only see the file.
        return long.TryParse(name.AsSpan(TablePaths.ConsumerPositionPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var next) && next >= 1
            ? (id, next)
            : throw new CorruptFileException($"Consumer position '{path}' has no valid snapshot number in its name.");
    }

    private async Task<long> ReadLegacyAsync(string path, CancellationToken ct) =>
        Json.Deserialize<ConsumerJson>(await store.GetAsync(path, ct).ConfigureAwait(false), path).NextSnapshot;

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\z")]
    private static partial Regex IdPattern();
}
