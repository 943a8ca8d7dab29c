namespace TableStore.Core;

public static class ErrorText
{
    /// <summary>
    /// An exception's message fit to quote inside another one: its first line, shortened. Orleans' messaging
    /// exceptions embed whole stack traces in their messages, which would bury the reason a user needs.
    /// </summary>
    public static string Summary(Exception e)
    {
        var text = e.Message;
        int newline = text.IndexOfAny(['\r', '\n']);
        if (newline >= 0) text = text[..newline];
        int at = text.IndexOf("   at ", StringComparison.Ordinal);
        if (at > 0) text = text[..at];
        text = text.Trim();
        return text.Length <= 300 ? text : text[..297] + "...";
    }
}
