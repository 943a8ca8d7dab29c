using TableStore.Core;

namespace TableStore.Cli.Output;

/// <summary>
/// Names the command-line flag behind an engine error. Core's messages are written for every caller (an application
/// has no <c>--partition</c>); where one of them is about a value a flag gave, the CLI says which flag.
/// </summary>
internal static class CliHints
{
    private static readonly (string Core, string Cli)[] Phrases =
    [
        ("Partition selection '", "--partition '"),
        ("Invalid key '", "Invalid --key '"),
        ("The number of snapshots to retain must", "--retain-last must"),
        ("The age below which files are kept must", "--older-than must"),
    ];

    public static string Apply(Exception e)
    {
        var message = e.Message;
        if (e is not TableStoreException) return message;
        foreach (var (core, cli) in Phrases) message = message.Replace(core, cli, StringComparison.Ordinal);
        return message;
    }
}
