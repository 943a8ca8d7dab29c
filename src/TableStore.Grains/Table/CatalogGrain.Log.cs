using Microsoft.Extensions.Logging;
using TableStore.Core.Table;

namespace TableStore.Grains.Table;

/// <summary>Log events of <see cref="CatalogGrain"/> (event ids 2500-2599; docs/logging.md).</summary>
internal static partial class CatalogGrainLog
{
    [LoggerMessage(EventId = 2500, Level = LogLevel.Information, Message = "Altered table {Table}: schema {SchemaId}")]
    public static partial void TableAlteredInCluster(this ILogger logger, Identifier table, long schemaId);
}
