namespace TableStore.Grains.Write;

/// <summary>
/// The memtable of one bucket (key: <see cref="Abstractions.GrainKeys.Bucket"/>). Rows wait here, by write id, until
/// the commit grain takes them into a group commit: <see cref="SealAsync"/> claims a batch's writes (and reports the
/// ones this activation does not hold, e.g. after its silo failed), <see cref="FlushAsync"/> stamps sequence numbers
/// and writes the level-0 files, <see cref="ReleaseAsync"/> frees the batch once it committed or failed.
/// </summary>
[Alias("TableStore.IBucketWriterGrain")]
public interface IBucketWriterGrain : IGrainWithStringKey
{
    [Alias("Append")] Task AppendAsync(BucketAppend append);

    /// <summary>
    /// Claims these writes for the batch, all written with one schema (the table's latest): reports the ids this
    /// writer does not hold, and those routed with another schema (refused: their rows may be in the wrong bucket).
    /// </summary>
    [Alias("Seal")] Task<SealReply> SealAsync(long batch, string[] writeIds);

    /// <summary>
    /// Writes the claimed rows of these writes as level-0 files and returns the commit message (serialized).
    /// <paramref name="reloadSequence"/>: another writer committed to this bucket meanwhile; take sequence numbers
    /// above everything committed, and write the files again.
    /// </summary>
    /// <remarks>A staged write's rows are read from the store and written now: that may take minutes.</remarks>
    [Alias("Flush"), ResponseTimeout("01:00:00")] Task<byte[]> FlushAsync(long batch, string[] writeIds, bool reloadSequence);

    [Alias("Release")] Task ReleaseAsync(long batch);

    /// <summary>Drops a write's rows that will not be committed (its other buckets failed, or it is a retry of a committed write).</summary>
    [Alias("Discard")] Task DiscardAsync(string writeId);
}
