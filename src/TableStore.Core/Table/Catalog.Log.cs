using Microsoft.Extensions.Logging;
using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>Log events of <see cref="Catalog"/> (event ids 1200-1299; docs/logging.md).</summary>
internal static partial class CatalogLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Created table {Table} ({Kind}, {Buckets} buckets)")]
    public static partial void TableCreated(this ILogger logger, Identifier table, TableKind kind, int buckets);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Altered table {Table}: schema {SchemaId}")]
    public static partial void TableAltered(this ILogger logger, Identifier table, long schemaId);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Dropped table {Table} ({Objects} objects)")]
    public static partial void TableDropped(this ILogger logger, Identifier table, int objects);
}
