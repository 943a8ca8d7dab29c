namespace TableStore.Core;

/// <summary>
/// Base class of every error the engine reports to users. The message always says what was wrong
/// and where (table, file, line, column) so that it can be printed as-is by the CLI.
/// </summary>
public class TableStoreException : Exception
{
    public TableStoreException(string message) : base(message) { }
    public TableStoreException(string message, Exception inner) : base(message, inner) { }

    /// <summary>
    /// Whether doing the same again may succeed (a lost race, a write that was certainly or possibly not committed).
    /// Decided by the type that raises it, so it survives the trip from a silo to a client; false unless a type says so.
    /// </summary>
    public virtual bool IsRetryable => false;
}

/// <summary>Bad user input: schema text, row values, predicates, names.</summary>
public class InvalidInputException : TableStoreException
{
    public InvalidInputException(string message) : base(message) { }
    public InvalidInputException(string message, Exception inner) : base(message, inner) { }
}

public sealed class TableNotFoundException(string table, string warehouse)
    : TableStoreException($"Table '{table}' does not exist in warehouse {warehouse}.");

public sealed class TableAlreadyExistsException(string table, string warehouse)
    : TableStoreException($"Table '{table}' already exists in warehouse {warehouse}.");

public sealed class SnapshotNotFoundException(string message) : TableStoreException(message);

/// <summary>A commit that cannot be applied on top of the latest snapshot; its files become orphans.</summary>
public sealed class CommitConflictException(string message) : TableStoreException(message)
{
    public override bool IsRetryable => true;
}

/// <summary>A stored file is missing or unreadable: the message names the file.</summary>
public sealed class CorruptFileException : TableStoreException
{
    public CorruptFileException(string message) : base(message) { }
    public CorruptFileException(string message, Exception inner) : base(message, inner) { }
}
