using TableStore.Core.Manifest;
using System.Text.RegularExpressions;
using TableStore.Core.IO;
using TableStore.Core.Serialization;
using TableStore.Core.Table;

namespace TableStore.Core.Tags;

/// <summary>
/// Tags of one table, one file each: <c>tag/tag-&lt;name&gt;</c> holds a copy of the tagged snapshot (its JSON), so a
/// tag stays readable after the snapshot file itself expires (expiration keeps the files a tag names). Created
/// with put-if-absent: two creates of one name cannot both succeed.
/// </summary>
public sealed partial class TagManager(IObjectStore store, TablePaths paths, SnapshotManager snapshots)
{
    /// <summary>Tags the snapshot (default: the latest); fails if the name is taken or there is no such snapshot.</summary>
    public async Task<Tag> CreateAsync(string name, long? snapshotId = null, CancellationToken ct = default)
    {
        ValidateName(name);
        var snapshot = snapshotId is { } id
            ? await snapshots.GetAsync(id, ct).ConfigureAwait(false)
            : await snapshots.LatestAsync(ct).ConfigureAwait(false)
              ?? throw new SnapshotNotFoundException($"Table {paths.TableName} has no snapshot to tag yet: write to it first.");
        var bytes = Json.Serialize(SnapshotJson.From(snapshot), indented: true);
        if (!await store.PutIfAbsentAsync(paths.TagFile(name), bytes, ct).ConfigureAwait(false))
        {
            var existing = await TryGetAsync(name, ct).ConfigureAwait(false);
            throw new InvalidInputException($"Tag '{name}' already exists on {paths.TableName}{(existing is null ? "" : $" (snapshot {existing.Snapshot.Id})")}; delete it first or choose another name.");
        }
        return new Tag(name, snapshot);
    }

    public async Task DeleteAsync(string name, CancellationToken ct = default)
    {
        ValidateName(name);
        if (!await store.ExistsAsync(paths.TagFile(name), ct).ConfigureAwait(false)) throw await NotFoundAsync(name, ct).ConfigureAwait(false);
        await store.DeleteAsync(paths.TagFile(name), ct).ConfigureAwait(false);
    }

    /// <summary>Every tag, by snapshot id then name.</summary>
    public async Task<List<Tag>> ListAsync(CancellationToken ct = default)
    {
        var tags = new List<Tag>();
        await foreach (var o in store.ListAsync(paths.TagDir, ct).ConfigureAwait(false))
        {
            var file = o.Path[(o.Path.LastIndexOf('/') + 1)..];
            if (!file.StartsWith(TablePaths.TagPrefix, StringComparison.Ordinal)) continue;
            if (await TryGetAsync(file[TablePaths.TagPrefix.Length..], ct).ConfigureAwait(false) is { } tag) tags.Add(tag);
        }
        return tags.OrderBy(t => t.Snapshot.Id).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The tagged snapshot; a clear error naming the existing tags when there is no such tag.</summary>
    public async Task<Snapshot> GetAsync(string name, CancellationToken ct = default)
    {
        ValidateName(name);
        return (await TryGetAsync(name, ct).ConfigureAwait(false))?.Snapshot ?? throw await NotFoundAsync(name, ct).ConfigureAwait(false);
    }

    private async Task<Tag?> TryGetAsync(string name, CancellationToken ct)
    {
        var path = paths.TagFile(name);
        byte[] bytes;
        try { bytes = await store.GetAsync(path, ct).ConfigureAwait(false); }
        catch (ObjectNotFoundException) { return null; }
        return new Tag(name, Json.Deserialize<SnapshotJson>(bytes, path).ToSnapshot(path));
    }

    private async Task<SnapshotNotFoundException> NotFoundAsync(string name, CancellationToken ct)
    {
        var names = (await ListAsync(ct).ConfigureAwait(false)).Select(t => t.Name).ToList();
        return new SnapshotNotFoundException($"Tag '{name}' does not exist on {paths.TableName} ({(names.Count == 0 ? "no tags" : "tags: " + string.Join(", ", names))}).");
    }

    /// <summary>Letters, digits, '_', '-' and '.', not starting with '.', and not only digits (those read as snapshot ids).</summary>
    public static void ValidateName(string? name)
    {
        if (name is null || !NamePattern().IsMatch(name) || name.All(char.IsAsciiDigit))
            throw new InvalidInputException($"Invalid tag name '{name}': use 1 to 64 letters, digits, '_', '-' or '.', starting with a letter, digit or '_', and not only digits.");
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\z")]
    private static partial Regex NamePattern();
}
