using TableStore.Core.Manifest;
using System.Text.RegularExpressions;
using TableStore.Core.IO;
using TableStore.Core.Serialization;
using TableStore.Core.Table;

namespace TableStore.Core.Consumers;

/// <summary>
/// Consumers of one table, one file each: <c>consumer/consumer-&lt;id&gt;</c> holds <c>{"nextSnapshot": N}</c>.
/// Snapshot expiration keeps every snapshot from the smallest <c>nextSnapshot</c> on, so a consumer that
/// stops and resumes never finds its next snapshot expired. Dropping a consumer releases them.
/// </summary>
public sealed partial class ConsumerManager(IObjectStore store, TablePaths paths)
{
    private sealed record ConsumerJson(long NextSnapshot);

    /// <summary>Records (creates or moves) the consumer's next snapshot.</summary>
    public async Task SetAsync(string id, long nextSnapshot, CancellationToken ct = default)
    {
        ValidateId(id);
        if (nextSnapshot < 1) throw new InvalidInputException($"Consumer '{id}': the next snapshot must be 1 or more, got {nextSnapshot}.");
        await store.PutAsync(paths.ConsumerFile(id), Json.Serialize(new ConsumerJson(nextSnapshot)), ct).ConfigureAwait(false);
    }

    public async Task<Consumer?> TryGetAsync(string id, CancellationToken ct = default)
    {
        ValidateId(id);
        var path = paths.ConsumerFile(id);
        byte[] bytes;
        try { bytes = await store.GetAsync(path, ct).ConfigureAwait(false); }
        catch (ObjectNotFoundException) { return null; }
        return new Consumer(id, Json.Deserialize<ConsumerJson>(bytes, path).NextSnapshot);
    }

    public async Task<List<Consumer>> ListAsync(CancellationToken ct = default)
    {
        var consumers = new List<Consumer>();
        await foreach (var o in store.ListAsync(paths.ConsumerDir, ct).ConfigureAwait(false))
        {
            var file = o.Path[(o.Path.LastIndexOf('/') + 1)..];
            if (!file.StartsWith(TablePaths.ConsumerPrefix, StringComparison.Ordinal)) continue;
            var id = file[TablePaths.ConsumerPrefix.Length..];
            if (!IdPattern().IsMatch(id)) continue;
            if (await TryGetAsync(id, ct).ConfigureAwait(false) is { } c) consumers.Add(c);
        }
        return consumers.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    public async Task DeleteAsync(string id, CancellationToken ct = default)
    {
        ValidateId(id);
        if (!await store.ExistsAsync(paths.ConsumerFile(id), ct).ConfigureAwait(false))
        {
            var ids = (await ListAsync(ct).ConfigureAwait(false)).Select(c => c.Id).ToList();
            throw new InvalidInputException($"Consumer '{id}' does not exist on {paths.TableName} ({(ids.Count == 0 ? "no consumers" : "consumers: " + string.Join(", ", ids))}).");
        }
        await store.DeleteAsync(paths.ConsumerFile(id), ct).ConfigureAwait(false);
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

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\z")]
    private static partial Regex IdPattern();
}
