namespace TableStore.Core.Streaming;

public enum StreamStartMode { Latest, LatestFull, Earliest, FromSnapshot, FromTimestamp }
