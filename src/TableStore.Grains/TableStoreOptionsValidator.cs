using Microsoft.Extensions.Options;

namespace TableStore.Grains;

/// <summary>
/// Fails silo start-up with a message that names the setting by its configuration path (<c>TableStore:CommitInterval</c>,
/// <c>TableStore:ObjectStore:MaxRetries</c>, ...), instead of failing the first write.
/// </summary>
public sealed class TableStoreOptionsValidator(IOptions<TableStoreOptions> options) : IConfigurationValidator
{
    private const string S = TableStoreOptions.SectionName + ":";

    public void ValidateConfiguration()
    {
        var o = options.Value;
        static void Require(bool ok, string message)
        {
            if (!ok) throw new OrleansConfigurationException(message);
        }
        Require(!string.IsNullOrWhiteSpace(o.Warehouse), $"{S}Warehouse is empty; set TableStore__Warehouse to a folder or URI.");
        Require(o.CommitInterval > TimeSpan.Zero && o.CommitInterval <= TimeSpan.FromMinutes(10), $"{S}CommitInterval must be between 0 and 10 minutes, got {o.CommitInterval}.");
        Require(o.CommitMaxBufferedBytes >= 1 << 10, $"{S}CommitMaxBufferedBytes must be at least 1 KiB, got {o.CommitMaxBufferedBytes}.");
        Require(o.WriteDeduplicationSnapshots >= 0, $"{S}WriteDeduplicationSnapshots must be zero or more, got {o.WriteDeduplicationSnapshots}.");
        Require(o.AbandonedWriteTimeout > o.CommitInterval, $"{S}AbandonedWriteTimeout ({o.AbandonedWriteTimeout}) must be longer than {S}CommitInterval ({o.CommitInterval}).");
        Require(o.MaxPublishedChangeRows >= 0, $"{S}MaxPublishedChangeRows must be zero or more, got {o.MaxPublishedChangeRows}.");
        Require(o.QueryTimeout > TimeSpan.Zero, $"{S}QueryTimeout must be positive, got {o.QueryTimeout}.");
        Require(System.Text.RegularExpressions.Regex.IsMatch(o.QueryMemoryLimit ?? "", @"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase),
            $"{S}QueryMemoryLimit must be a size such as 512MB or 2GB, got '{o.QueryMemoryLimit}'.");
        Require(o.PublishAttempts is >= 1 and <= 100, $"{S}PublishAttempts must be between 1 and 100, got {o.PublishAttempts}.");
        Require(o.MaxPublishedEventBytes is >= 1024 and <= 64 << 20, $"{S}MaxPublishedEventBytes must be between 1024 and 67108864, got {o.MaxPublishedEventBytes}.");
        Require(o.AbandonedUploadTimeout > TimeSpan.Zero, $"{S}AbandonedUploadTimeout must be positive, got {o.AbandonedUploadTimeout}.");
        Require(o.MaintenanceCheckInterval > TimeSpan.Zero, $"{S}MaintenanceCheckInterval must be positive, got {o.MaintenanceCheckInterval}.");
        Require(o.CompactionStallTimeout >= TimeSpan.Zero, $"{S}CompactionStallTimeout must not be negative, got {o.CompactionStallTimeout}.");
        Require(o.LookupCacheBytes >= 0, $"{S}LookupCacheBytes must be zero or more, got {o.LookupCacheBytes}.");
        Require(o.LookupLatestRefresh >= TimeSpan.Zero, $"{S}LookupLatestRefresh must not be negative, got {o.LookupLatestRefresh}.");
        Require(o.SchemaRefreshInterval >= TimeSpan.Zero, $"{S}SchemaRefreshInterval must not be negative, got {o.SchemaRefreshInterval}.");
        Require(o.ShutdownFlushTimeout >= TimeSpan.Zero, $"{S}ShutdownFlushTimeout must not be negative, got {o.ShutdownFlushTimeout}.");
        Require(o.IngestJobCheckInterval > TimeSpan.Zero, $"{S}IngestJobCheckInterval must be positive, got {o.IngestJobCheckInterval}.");
        // Core's rules (ObjectStoreOptions.Validate, whose messages name ObjectStore:Key), under this section.
        try { o.ObjectStore.Validate(); }
        catch (TableStore.Core.InvalidInputException e) { Require(false, S + e.Message); }
    }
}
