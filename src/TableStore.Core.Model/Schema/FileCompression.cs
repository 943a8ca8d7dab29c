namespace TableStore.Core.Schema;

public enum FileCompression { Zstd, Snappy, Gzip, None }
