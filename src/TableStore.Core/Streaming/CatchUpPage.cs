namespace TableStore.Core.Streaming;

/// <summary>
/// One page of a catch-up read: the changes of consecutive snapshots from the id asked for, whether the page
/// reached the latest snapshot, and how many snapshots the reader was behind when it asked.
/// </summary>
public sealed record CatchUpPage(IReadOnlyList<ChangeBatch> Batches, bool ReachedLatest, long Behind);
