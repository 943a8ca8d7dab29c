using System.Globalization;
using System.Text.RegularExpressions;
using TableStore.Core;
using TableStore.Core.Table;

namespace TableStore.Sql;

/// <summary>
/// A table named in a query: <c>db.table</c> (the latest snapshot), <c>db."table$snapshot_12"</c>,
/// <c>db."table$tag_daily"</c> or <c>db."table$as_of_2026-12-07T10:00:00Z"</c> (time travel), or a system table
/// <c>db."table$snapshots"</c> (and <c>$schemas</c>, <c>$tags</c>, <c>$files</c>, <c>$manifests</c>, <c>$consumers</c>,
/// <c>$changes</c> and <c>$changes_FROM_TO</c>). The <c>$</c>
/// form needs double quotes where DuckDB's parser would split it (a time, a tag with dashes); quoted always works.
/// </summary>
public sealed record SqlTableReference(Identifier Id, string Suffix)
{
    public const string Snapshots = "snapshots", Schemas = "schemas", Tags = "tags", Files = "files", Manifests = "manifests", Consumers = "consumers", Changes = "changes";
    public static readonly IReadOnlyList<string> SystemTables = [Snapshots, Schemas, Tags, Files, Manifests, Consumers, Changes];
    private static readonly Regex ChangesRange = new(@"^changes_(?<from>\d+)_(?<to>\d+)$", RegexOptions.CultureInvariant);

    // db.table, db."table", db.table$x, db."table$x" (DuckDB lower-cases unquoted names; ours are lower-case already).
    private static readonly Regex Candidate = new(@"(?<![\w""$])""?(?<db>[A-Za-z_][A-Za-z0-9_]*)""?\s*\.\s*(?:""(?<qname>[^""]+)""|(?<name>[A-Za-z_][A-Za-z0-9_]*(?:\$[A-Za-z0-9_]+)?))",
        RegexOptions.CultureInvariant);

    /// <summary>The view's name inside its DuckDB schema (the database): the table's name and its suffix.</summary>
    public string ViewName => Suffix.Length == 0 ? Id.Table : $"{Id.Table}${Suffix}";

    /// <summary>A system table (<see cref="SystemTables"/>, or <c>$changes_FROM_TO</c>), not the table's rows.</summary>
    public bool IsSystemTable => SystemTables.Contains(Suffix) || ChangesRange.IsMatch(Suffix);

    /// <summary>The snapshots <c>$changes_FROM_TO</c> covers (both included); null for <c>$changes</c> (all retained ones).</summary>
    public (long From, long To)? ChangesBetween()
    {
        var m = ChangesRange.Match(Suffix);
        if (!m.Success) return null;
        if (!long.TryParse(m.Groups["from"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var from) || !long.TryParse(m.Groups["to"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var to) || from < 1 || to < from)
            throw new InvalidInputException($"{Id.FullName}${Suffix}: expected $changes_<from>_<to> with 1 <= from <= to, e.g. $changes_5_9.");
        return (from, to);
    }

    /// <summary>The snapshot to read: latest (all nulls), an id, a tag or a time.</summary>
    public (long? SnapshotId, string? Tag, DateTimeOffset? AsOf) TimeTravel()
    {
        if (Suffix.Length == 0 || IsSystemTable) return (null, null, null);
        if (Suffix.StartsWith("snapshot_", StringComparison.Ordinal))
            return long.TryParse(Suffix.AsSpan("snapshot_".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? (id, null, null)
                : throw new InvalidInputException($"{Id.FullName}${Suffix}: expected $snapshot_<id>, e.g. $snapshot_12.");
        if (Suffix.StartsWith("tag_", StringComparison.Ordinal) && Suffix.Length > "tag_".Length) return (null, Suffix["tag_".Length..], null);
        if (Suffix.StartsWith("as_of_", StringComparison.Ordinal))
            return DateTimeOffset.TryParse(Suffix["as_of_".Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? (null, null, t)
                : throw new InvalidInputException($"{Id.FullName}${Suffix}: expected $as_of_<time>, e.g. \"orders$as_of_2026-12-07T10:00:00Z\" (quoted).");
        throw new InvalidInputException(
            $"Unknown table suffix ${Suffix} on {Id.FullName}: use $snapshot_<id>, $tag_<name>, $as_of_<time>, or a system table ({string.Join(", ", SystemTables.Select(s => "$" + s))}).");
    }

    /// <summary>
    /// The tables a query names, among <paramref name="exists"/> (other dotted names, such as <c>t.column</c>, are
    /// left to DuckDB). Over-matching is harmless: an unused view costs nothing until read.
    /// </summary>
    public static IReadOnlyList<SqlTableReference> Find(string sql, Func<Identifier, bool> exists)
    {
        var found = new Dictionary<string, SqlTableReference>(StringComparer.Ordinal);
        foreach (Match m in Candidate.Matches(sql))
        {
            var db = m.Groups["db"].Value.ToLowerInvariant();
            var full = m.Groups["qname"].Success ? m.Groups["qname"].Value : m.Groups["name"].Value.ToLowerInvariant();
            int dollar = full.IndexOf('$', StringComparison.Ordinal);
            var name = dollar < 0 ? full : full[..dollar];
            var suffix = dollar < 0 ? "" : full[(dollar + 1)..];
            Identifier id;
            try { id = Identifier.Parse($"{db}.{name}"); }
            catch (InvalidInputException) { continue; }
            if (!exists(id)) continue;
            var reference = new SqlTableReference(id, suffix);
            found.TryAdd(reference.ViewName, reference);
        }
        return [.. found.Values];
    }
}
