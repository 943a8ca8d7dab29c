using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TableStore.Core.IO;
using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>
/// Tables of a warehouse, kept as files: a table exists when its <c>schema/schema-0</c> does. Creating a table
/// is a put-if-absent of that file, so two concurrent creates cannot both succeed.
/// </summary>
public sealed partial class Catalog(IObjectStore store, TimeProvider? time = null, ILoggerFactory? loggers = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;

    public IObjectStore Store => store;

    public async Task<FileStoreTable> CreateTableAsync(Identifier id, TableDefinition definition, CancellationToken ct = default)
    {
        CoreOptions.ValidateKeys(definition.Options?.Keys ?? []);
        var schema = new TableSchema(0, definition.Columns, definition.PrimaryKeys, definition.PartitionKeys, definition.Buckets,
            definition.Options, _time.GetUtcNow().ToUnixTimeMilliseconds());
        var paths = new TablePaths(id.TableRoot);
        var schemas = new SchemaManager(store, paths);
        if (await TableExistsAsync(id, ct).ConfigureAwait(false)) throw new TableAlreadyExistsException(id.FullName, store.Location);
        // Leftovers of an interrupted drop must not resurface as the new table's history. Create never deletes
        // them itself: a concurrent creator's fresh files would look the same. Finishing the drop removes them.
        var existing = await store.ListAllAsync(paths.Root + "/", ct).ConfigureAwait(false);
        if (existing.Any(o => o.Path == paths.SchemaFile(0))) throw new TableAlreadyExistsException(id.FullName, store.Location); // a racing creator won
        if (existing.Count > 0)
            throw new InvalidInputException($"Table '{id}' cannot be created: its folder in {store.Location} still holds files of an interrupted drop. Drop '{id}' again to finish removing them.");
        if (!await schemas.TryCommitAsync(schema, ct).ConfigureAwait(false)) throw new TableAlreadyExistsException(id.FullName, store.Location);
        _loggers.CreateLogger<Catalog>().TableCreated(id, schema.Kind, schema.BucketCount);
        return new FileStoreTable(id, schema, store, schemas, _time, _loggers);
    }

    public async Task<FileStoreTable> GetTableAsync(Identifier id, CancellationToken ct = default)
    {
        var schemas = new SchemaManager(store, new TablePaths(id.TableRoot));
        if (!await TableExistsAsync(id, ct).ConfigureAwait(false)) throw new TableNotFoundException(id.FullName, store.Location);
        var schema = await schemas.LatestAsync(ct).ConfigureAwait(false) ?? throw new TableNotFoundException(id.FullName, store.Location);
        return new FileStoreTable(id, schema, store, schemas, _time, _loggers);
    }

    /// <summary>
    /// Commits a new schema version made of <paramref name="changes"/> (put-if-absent of <c>schema-(N+1)</c>, so of two
    /// concurrent alters one fails and nothing is half-applied). Data files are never rewritten.
    /// </summary>
    public async Task<FileStoreTable> AlterTableAsync(Identifier id, IReadOnlyList<SchemaChange> changes, CancellationToken ct = default)
    {
        var table = await GetTableAsync(id, ct).ConfigureAwait(false);
        var next = SchemaChange.Apply(table.Schema, changes, _time.GetUtcNow().ToUnixTimeMilliseconds());
        var merging = changes.Select(c => c switch
        {
            SchemaChange.SetOption o when table.Schema.Options.GetValueOrDefault(o.Key)?.Trim() != o.Value.Trim() => o.Key,
            SchemaChange.RemoveOption o when table.Schema.Options.ContainsKey(o.Key) => o.Key,
            _ => null,
        }).FirstOrDefault(k => k is not null && CoreOptions.IsMergeOption(k));
        if (merging is not null && await table.Snapshots.LatestIdAsync(ct).ConfigureAwait(false) is not null)
            throw new InvalidInputException($"Table option '{merging}' cannot change once the table holds data: stored rows were merged under it. Create a new table and copy the data.");
        if (!await table.Schemas.TryCommitAsync(next, ct).ConfigureAwait(false))
            throw new CommitConflictException($"Table '{id}' was altered concurrently (schema {next.Id} exists); read it again and retry.");
        _loggers.CreateLogger<Catalog>().TableAltered(id, next.Id);
        return new FileStoreTable(id, next, store, table.Schemas, _time, _loggers);
    }

    public async Task<bool> TableExistsAsync(Identifier id, CancellationToken ct = default) =>
        await store.ExistsAsync(new TablePaths(id.TableRoot).SchemaFile(0), ct).ConfigureAwait(false);

    public async Task<List<Identifier>> ListTablesAsync(CancellationToken ct = default)
    {
        var result = new List<Identifier>();
        await foreach (var o in store.ListAsync("", ct).ConfigureAwait(false))
        {
            var m = SchemaZero().Match(o.Path);
            if (m.Success) result.Add(new Identifier(m.Groups[1].Value, m.Groups[2].Value));
        }
        return result.OrderBy(i => i.FullName, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Drops a table: <c>schema-0</c> goes first, so the table stops existing before its files are removed. Dropping
    /// again finishes a drop that was interrupted (the folder holds files but no <c>schema-0</c>).
    /// </summary>
    public async Task DropTableAsync(Identifier id, CancellationToken ct = default)
    {
        var paths = new TablePaths(id.TableRoot);
        var objects = await store.ListAllAsync(paths.Root + "/", ct).ConfigureAwait(false);
        if (objects.Count == 0) throw new TableNotFoundException(id.FullName, store.Location);
        // Only what was listed: a table created after the listing (by a racing create) is not ours to delete.
        if (objects.Any(o => o.Path == paths.SchemaFile(0))) await store.DeleteAsync(paths.SchemaFile(0), ct).ConfigureAwait(false);
        foreach (var o in objects.Where(o => o.Path != paths.SchemaFile(0)))
            await store.DeleteAsync(o.Path, ct).ConfigureAwait(false);
        _loggers.CreateLogger<Catalog>().TableDropped(id, objects.Count);
    }

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)\.db/([A-Za-z_][A-Za-z0-9_]*)/schema/schema-0\z")]
    private static partial Regex SchemaZero();
}
