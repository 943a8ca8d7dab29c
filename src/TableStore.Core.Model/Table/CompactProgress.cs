namespace TableStore.Core.Table;

public sealed record CompactProgress(int BucketsDone, int BucketsTotal, long BytesRead, long BytesWritten);
