namespace TableStore.Core;

public sealed class TableAlreadyExistsException(string table, string warehouse)
    : TableStoreException($"Table '{table}' already exists in warehouse {warehouse}.");
