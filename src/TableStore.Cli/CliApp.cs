using System.CommandLine;
using System.CommandLine.Parsing;
using TableStore.Cli.Commands;
using TableStore.Core;
using TableStore.Core.IO;

namespace TableStore.Cli;

/// <summary>
/// The <c>tablestore</c> command line. <see cref="RunAsync"/> takes its streams and environment as arguments
/// so tests run the real CLI in-process.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code of a command line that does not parse (as opposed to 1, a command that failed).</summary>
    public const int UsageExitCode = 2;

    /// <summary>The warehouses the CLI opens: local ones, <c>az://</c> and <c>s3://</c>.</summary>
    internal static readonly ObjectStoreFactory Stores = new(new TableStore.ObjectStores.Azure.AzureWarehouseOpener(), new TableStore.ObjectStores.S3.S3WarehouseOpener());

    /// <summary>Runs one command line and returns the process exit code: 0 success, 1 a failed command, 2 a command line that does not parse.</summary>
    /// <param name="env">The environment to read (TABLESTORE_WAREHOUSE, TABLESTORE_DEBUG); null: the process environment.
    /// When given, it is the whole environment: nothing falls back to the process's variables.</param>
    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr,
        IDictionary<string, string?>? env = null, CancellationToken ct = default)
    {
        Func<string, string?> getEnv = env is null
            ? Environment.GetEnvironmentVariable
            : name => env.TryGetValue(name, out var v) ? v : null;
        var context = new CliContext(stdin, getEnv) { ShowProgress = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected };
        try
        {
            var parse = BuildRootCommand(context).Parse(args);
            if (parse.Errors.Count > 0) return ReportUsageErrors(parse, stderr);
            // Ctrl-C and SIGTERM cancel the command; it then gets this long to finish cleanly (an ingestion commits what it
            // read, a write deletes its files) before the process ends anyway. System.CommandLine's default is 2 s.
            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
            return await parse.InvokeAsync(config, ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return ReportError(e, stdout, stderr, context.Debug);
        }
    }

    internal static RootCommand BuildRootCommand(CliContext context)
    {
        var root = new RootCommand("tablestore: create, write, scan and time-travel TableStore tables")
        {
            context.Warehouse,
            context.Cluster,
            TableCommands.Build(context),
            WriteCommand.Build(context),
            ScanCommand.Build(context),
            SnapshotsCommand.Build(context),
            LookupCommand.Build(context),
            TagCommands.Build(context),
            MaintenanceCommands.Compact(context),
            MaintenanceCommands.Expire(context),
            MaintenanceCommands.Orphans(context),
            StreamCommand.Build(context),
            ConsumerCommands.Build(context),
            IngestCommand.Build(context),
            SqlCommand.Build(context),
            ExportCommand.Build(context),
        };
        return root;
    }

    /// <summary>Command-line errors (unknown command, bad option value, ...): each as <c>error: ...</c>, then where to find help.</summary>
    private static int ReportUsageErrors(ParseResult parse, TextWriter stderr)
    {
        foreach (var error in parse.Errors) stderr.WriteLine($"error: {error.Message}");
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as CommandResult) names.Insert(0, r.Command.Name);
        names[0] = "tablestore";
        stderr.WriteLine($"Run '{string.Join(' ', names)} --help' for usage.");
        return UsageExitCode;
    }

    /// <summary>
    /// Prints an error as <c>error: message</c>. Errors of the engine and of the file system are expected (bad input,
    /// missing tables, unreadable files): their messages say what and where, and no stack trace is shown. Anything
    /// else is a bug: its type is named, and its stack trace is printed when TABLESTORE_DEBUG=1.
    /// </summary>
    internal static int ReportError(Exception e, TextWriter stdout, TextWriter stderr, bool debug)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } aggregate) e = aggregate.InnerExceptions[0];
        try { stdout.Flush(); }
        catch (IOException) { }
        switch (e)
        {
            case OperationCanceledException:
                stderr.WriteLine("error: cancelled");
                return 130;
            case TableStoreException or IOException or UnauthorizedAccessException:
                stderr.WriteLine($"error: {Output.CliHints.Apply(e)}");
                return 1;
            default:
                stderr.WriteLine($"error: {e.Message}");
                stderr.WriteLine($"(unexpected {e.GetType().FullName}; run with {CliContext.DebugVariable}=1 for details)");
                if (debug) stderr.WriteLine(e.ToString());
                return 1;
        }
    }
}
