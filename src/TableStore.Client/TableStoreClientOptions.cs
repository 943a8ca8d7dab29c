using Orleans.Runtime;

namespace TableStore.Client;

/// <summary>
/// How the client retries writes that failed for a reason a retry can fix (a silo failed, a timeout), and how long
/// its calls may take. Errors name a setting by its path in the <c>TableStoreClient</c> configuration section
/// (<c>TableStoreClient:WriteTimeout</c>, ...), where an application binding these from configuration keeps them.
/// </summary>
public sealed class TableStoreClientOptions
{
    public const string SectionName = "TableStoreClient";

    /// <summary>Tries per write, the first included; every retry carries the same write id, so none commits twice.</summary>
    /// <remarks>The default rides out a silo failure: the cluster needs some seconds to declare a silo dead.</remarks>
    public int MaxWriteAttempts { get; set; } = 8;

    /// <summary>Wait before the first retry; doubled for each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest a write (or overwrite) may take, retries included. When it runs out, the write's outcome is
    /// unknown (it may have been committed while the answer was on its way), and the error says so.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The longest a read or metadata call (schema, snapshots, tags, lookups, the start of a scan, one page of a
    /// scan) may take, retries included; then it fails saying the cluster did not answer.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The largest encoded write sent as one request. A request is one Orleans message, and Orleans drops connections
    /// that carry a message over its limit (100 MB by default), so a larger write is uploaded in parts of
    /// <see cref="UploadPartBytes"/> instead and committed once (an overwrite too).
    /// </summary>
    public int MaxWriteBytes { get; set; } = 64 << 20;

    /// <summary>
    /// The size of one part of an upload (a write larger than <see cref="MaxWriteBytes"/>, or a streamed write): the
    /// memory a write takes on this client and, per part in flight, on a silo (at most <see cref="MaxWriteBytes"/>).
    /// Each part has its own deadline, <see cref="WriteTimeout"/>.
    /// </summary>
    public int UploadPartBytes { get; set; } = 4 << 20;

    /// <summary>
    /// The longest the commit of an uploaded write may take: its rows are written into the table's files then, so
    /// this grows with the write (about a minute per GB on one core). When it runs out the outcome is unknown.
    /// </summary>
    public TimeSpan StagedCommitTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The stream provider subscriptions listen on (the silos publish on theirs); empty: the lake only.</summary>
    public string StreamProvider { get; set; } = TableStore.Abstractions.ChangeStreams.DefaultProvider;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting that makes no sense (the rules of <see cref="TableStoreClientOptionsValidator"/>).</summary>
    public void Validate()
    {
        if (TableStoreClientOptionsValidator.Check(this) is { } bad)
            throw new ArgumentOutOfRangeException(bad.Name, bad.Value, $"{SectionName}:{bad.Name} {bad.Rule}.");
    }
}

