namespace TableStore.Core;

/// <summary>Bad user input: schema text, row values, predicates, names.</summary>
public class InvalidInputException : TableStoreException
{
    public InvalidInputException(string message) : base(message) { }
    public InvalidInputException(string message, Exception inner) : base(message, inner) { }
}
