namespace TableStore.Core.Manifest;

public enum FileKind { Add, Delete }
