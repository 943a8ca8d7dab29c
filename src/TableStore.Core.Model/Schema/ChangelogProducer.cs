namespace TableStore.Core.Schema;

public enum ChangelogProducer { None, Input, Lookup, FullCompaction }
