using System.Text.Json;
using TableStore.Abstractions;
using TableStore.Core;
using TableStore.Core.IO;

namespace TableStore.Grains.Ingest;

/// <summary>
/// Ingestion jobs as JSON objects in the warehouse, <c>_jobs/ingest/NAME.json</c>: outside every table's folder, so
/// table maintenance never sees them, and shared by all silos, so any of them can run a job after a restart.
/// </summary>
internal static class IngestJobStore
{
    private const string Prefix = "_jobs/ingest/";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task SaveAsync(IObjectStore store, IngestJobSpec spec, CancellationToken ct) =>
        store.PutAsync(PathOf(spec.Name), JsonSerializer.SerializeToUtf8Bytes(spec, Json), ct);

    public static async Task<IngestJobSpec?> LoadAsync(IObjectStore store, string name, CancellationToken ct)
    {
        byte[] bytes;
        try { bytes = await store.GetAsync(PathOf(name), ct).ConfigureAwait(false); }
        catch (ObjectNotFoundException) { return null; }
        try { return JsonSerializer.Deserialize<IngestJobSpec>(bytes, Json) ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new CorruptFileException($"Ingestion job file {PathOf(name)} is not a job definition: {e.Message}"); }
    }

    public static async Task<List<string>> ListNamesAsync(IObjectStore store, CancellationToken ct)
    {
        var names = new List<string>();
        await foreach (var o in store.ListAsync(Prefix, ct).ConfigureAwait(false))
            if (o.Path.EndsWith(".json", StringComparison.Ordinal)) names.Add(o.Path[Prefix.Length..^".json".Length]);
        return names;
    }

    public static Task DeleteAsync(IObjectStore store, string name, CancellationToken ct) => store.DeleteAsync(PathOf(name), ct);

    private static string PathOf(string name)
    {
        IngestJobSpec.ValidateName(name);
        return Prefix + name + ".json";
    }
}
