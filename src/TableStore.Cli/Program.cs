using System.Text;
using TableStore.Cli;

// Console.Out flushes every write: a scan of millions of rows would be a system call per row. Output is buffered
// instead and flushed where it matters: after each change batch of a stream, at the end of a command, before an error.
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);
try
{
    return await CliApp.RunAsync(args, Console.In, stdout, Console.Error);
}
finally
{
    try { await stdout.DisposeAsync(); }
    catch (IOException) { } // the reader went away; nothing left to tell it
}
