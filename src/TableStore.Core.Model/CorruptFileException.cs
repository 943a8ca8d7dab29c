namespace TableStore.Core;

/// <summary>A stored file is missing or unreadable: the message names the file.</summary>
public sealed class CorruptFileException : TableStoreException
{
    public CorruptFileException(string message) : base(message) { }
    public CorruptFileException(string message, Exception inner) : base(message, inner) { }
}
