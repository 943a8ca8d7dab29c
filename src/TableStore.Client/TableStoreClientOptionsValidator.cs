using Microsoft.Extensions.Options;

namespace TableStore.Client;

/// <summary>
/// Fails client start-up (and a silo's, for a client registered there) with a message that names the setting by
/// its configuration path (<c>TableStoreClient:WriteTimeout</c>, ...).
/// </summary>
public sealed class TableStoreClientOptionsValidator(IOptions<TableStoreClientOptions> options) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (Check(options.Value) is { } bad)
            throw new OrleansConfigurationException($"{TableStoreClientOptions.SectionName}:{bad.Name} {bad.Rule}, got {bad.Value}.");
    }

    /// <summary>The first setting that makes no sense: its name, value and what is allowed.</summary>
    internal static (string Name, object Value, string Rule)? Check(TableStoreClientOptions o)
    {
        if (o.MaxWriteAttempts < 1) return (nameof(o.MaxWriteAttempts), o.MaxWriteAttempts, "must be at least 1 (the first attempt)");
        if (o.RetryDelay < TimeSpan.Zero) return (nameof(o.RetryDelay), o.RetryDelay, "must not be negative");
        if (o.CallTimeout <= TimeSpan.Zero || o.CallTimeout > TimeSpan.FromDays(1)) return (nameof(o.CallTimeout), o.CallTimeout, "must be more than 0 and at most a day");
        if (o.WriteTimeout <= TimeSpan.Zero || o.WriteTimeout > TimeSpan.FromDays(1)) return (nameof(o.WriteTimeout), o.WriteTimeout, "must be more than 0 and at most a day");
        if (o.MaxWriteBytes < 1 << 10) return (nameof(o.MaxWriteBytes), o.MaxWriteBytes, "must be at least 1 KiB (1024)");
        if (o.UploadPartBytes < 1 << 10) return (nameof(o.UploadPartBytes), o.UploadPartBytes, "must be at least 1 KiB (1024)");
        if (o.StagedCommitTimeout <= TimeSpan.Zero || o.StagedCommitTimeout > TimeSpan.FromDays(1)) return (nameof(o.StagedCommitTimeout), o.StagedCommitTimeout, "must be more than 0 and at most a day");
        if (o.MaxRetryDelay < o.RetryDelay) return (nameof(o.MaxRetryDelay), o.MaxRetryDelay, $"must not be shorter than RetryDelay ({o.RetryDelay})");
        return null;
    }
}
