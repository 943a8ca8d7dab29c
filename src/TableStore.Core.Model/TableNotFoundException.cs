namespace TableStore.Core;

public sealed class TableNotFoundException(string table, string warehouse)
    : TableStoreException($"Table '{table}' does not exist in warehouse {warehouse}.");
