using System.Text.RegularExpressions;

namespace TableStore.Core.Commit;

/// <summary>
/// Write ids: chosen by clients (a client retries with the same id), recorded in the snapshot that commits them
/// (snapshot property <see cref="SnapshotProperty"/>, comma-separated), so a retry is recognised even after the
/// commit grain restarted.
/// </summary>
public static partial class WriteIds
{
    public const string SnapshotProperty = "tablestore.write-ids";

    public static string New() => Guid.NewGuid().ToString("N");

    public static void Validate(string? id)
    {
        if (id is null || !Pattern().IsMatch(id))
            throw new InvalidInputException($"Invalid write id '{id}': use 1 to 64 letters, digits, '-' or '_' (e.g. a GUID).");
    }

    public static string Encode(IEnumerable<string> ids) => string.Join(',', ids);

    public static IEnumerable<string> Decode(IReadOnlyDictionary<string, string>? properties) =>
        properties is not null && properties.TryGetValue(SnapshotProperty, out var text) && text.Length > 0 ? text.Split(',') : [];

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}\\z")]
    private static partial Regex Pattern();
}
