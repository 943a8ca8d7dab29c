namespace TableStore.Core.Schema;

public enum MergeEngine { Deduplicate, PartialUpdate, Aggregation, FirstRow }
