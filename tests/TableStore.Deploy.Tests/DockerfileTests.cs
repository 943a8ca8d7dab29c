using System.Diagnostics;
using System.Net;
using System.Text;
using System.Xml.Linq;
using TableStore.Deploy.Tests.Support;
using TableStore.Server;

namespace TableStore.Deploy.Tests;

/// <summary>
/// The silo image (src/TableStore.Server/Dockerfile). No Docker engine runs here, so the file is read as the builder
/// reads it, and its build stage is replayed with the local SDK: the same COPYs into an empty folder, the same
/// `dotnet` commands, then the runtime stage's entry point started with the image's settings and probed on HTTP.
/// </summary>
public sealed class DockerfileTests
{
    private const string DockerfilePath = "src/TableStore.Server/Dockerfile";
    private static readonly Dockerfile File_ = Dockerfile.Parse(File.ReadAllText(Repository.PathOf(DockerfilePath)));

    private static Dockerfile.Stage Runtime => File_.Stages[^1];

    [Fact]
    public void It_is_multi_stage_and_runs_as_a_non_root_user_on_the_aspnet_runtime()
    {
        Assert.True(File_.Stages.Count >= 2, "a build stage and a runtime stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", File_.Stages[0].Image);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", Runtime.Image);
        var user = Runtime.All("USER").LastOrDefault()?.Arguments.Split(':')[0];
        Assert.NotNull(user);
        Assert.DoesNotContain(user, new[] { "root", "0" });
        // The runtime stage takes only the published output from the build stage, not sources.
        Assert.All(Runtime.All("COPY"), c => Assert.Equal(File_.Stages[0].Name, Dockerfile.Copy(c).Options["from"]));
    }

    [Fact]
    public void It_exposes_the_silo_gateway_and_http_ports_the_server_listens_on()
    {
        var exposed = Runtime.All("EXPOSE").SelectMany(e => e.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse).Order();
        var env = Runtime.All("ENV").SelectMany(Dockerfile.Env).ToDictionary();
        var server = new ServerOptions
        {
            SiloPort = int.Parse(env["TableStore__SiloPort"]),
            GatewayPort = int.Parse(env["TableStore__GatewayPort"]),
            HttpPort = int.Parse(env["TableStore__HttpPort"]),
        };
        server.Validate();
        Assert.Equal(new[] { server.SiloPort, server.GatewayPort, server.HttpPort }.Order(), exposed);
        var entry = Dockerfile.ExecForm(Runtime.All("ENTRYPOINT").Single());
        Assert.Equal(["dotnet", "TableStore.Server.dll"], entry);
    }

    /// <summary>
    /// The restore layer copies project files one by one: a project the server comes to reference (or one renamed)
    /// must be added there, or the image build breaks. This keeps the list equal to the server's project closure.
    /// </summary>
    [Fact]
    public void It_copies_the_project_file_of_every_project_the_server_references()
    {
        var copied = File_.Stages[0].All("COPY").SelectMany(c => Dockerfile.Copy(c).Sources).Where(s => s.EndsWith(".csproj", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(ProjectClosure("src/TableStore.Server/TableStore.Server.csproj").Order(), copied);
        foreach (var source in File_.Stages[0].All("COPY").SelectMany(c => Dockerfile.Copy(c).Sources))
        {
            Assert.True(File.Exists(Repository.PathOf(source)) || Directory.Exists(Repository.PathOf(source)), $"COPY {source}: not in the repository");
            Assert.False(DockerIgnore.Load().Excludes(source), $"COPY {source}: excluded by .dockerignore");
        }
    }

    [Fact]
    public async Task Its_build_stage_replayed_here_publishes_a_silo_that_starts_and_answers_its_health_probes()
    {
        var root = Directory.CreateTempSubdirectory("dockerfile-replay-").FullName;
        try
        {
            string InContainer(string path) => Path.Combine(root, path.TrimStart('/'));
            var build = File_.Stages[0];
            string workdir = "/";
            foreach (var step in build.Instructions)
            {
                switch (step.Keyword)
                {
                    case "WORKDIR":
                        workdir = step.Arguments.StartsWith('/') ? step.Arguments : Path.Combine(workdir, step.Arguments);
                        Directory.CreateDirectory(InContainer(workdir));
                        break;
                    case "COPY":
                        var (_, sources, destination) = Dockerfile.Copy(step);
                        var target = InContainer(destination.StartsWith('/') ? destination : Path.Combine(workdir, destination));
                        foreach (var source in sources) CopyContext(source, target, sources.Count > 1 || destination.EndsWith('/'));
                        break;
                    case "RUN":
                        var words = step.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        Assert.True(words[0] == "dotnet", $"line {step.Line}: only dotnet commands can be replayed here: {step.Arguments}");
                        var args = words.Skip(1).Select(w => w.StartsWith('/') ? InContainer(w) : w).ToList();
                        var (code, stdout, stderr) = await ProcessRunner.RunAsync("dotnet", args, InContainer(workdir), TimeSpan.FromMinutes(8), Sdk);
                        Assert.True(code == 0, $"line {step.Line}: {step.Arguments} failed ({code}):\n{stdout}\n{stderr}");
                        break;
                    case "ARG" or "ENV" or "LABEL":
                        break;
                    default:
                        Assert.Fail($"line {step.Line}: {step.Keyword} in the build stage cannot be replayed here");
                        break;
                }
            }

            // The runtime stage: its COPY --from=build, its ENV, its ENTRYPOINT.
            var app = InContainer("app");
            var (_, published, _) = Dockerfile.Copy(Runtime.All("COPY").Single());
            CopyDirectory(InContainer(published.Single()), app);
            var entry = Dockerfile.ExecForm(Runtime.All("ENTRYPOINT").Single());
            Assert.True(File.Exists(Path.Combine(app, entry[1])), $"{entry[1]} is not in the published output");
            Assert.True(File.Exists(Path.Combine(app, "appsettings.json")), "appsettings.json is not in the published output");

            var env = Runtime.All("ENV").SelectMany(Dockerfile.Env).ToDictionary();
            env["TableStore__Warehouse"] = InContainer(env["TableStore__Warehouse"]);
            // Free ports instead of the image's (the test shares the machine); docker run -e overrides the same way.
            var ports = Ports.Free(3);
            int http = ports[2];
            env["TableStore__SiloPort"] = ports[0].ToString();
            env["TableStore__GatewayPort"] = ports[1].ToString();
            env["TableStore__HttpPort"] = http.ToString();
            // Generous: the other test assemblies share the machine's two cores meanwhile.
            await using var silo = await RunningProcess.StartAsync(entry[0], entry[1..], app, env, "TableStore silo ready", TimeSpan.FromMinutes(3));
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}"), Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
            var ready = await client.GetAsync("/health/ready");
            Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // MSBuild and compiler servers would outlive the command and hold its output pipes open.
    private static readonly Dictionary<string, string> Sdk = new()
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["UseSharedCompilation"] = "false",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>COPY from the build context: a file to a file or into a folder, a folder's contents into a folder.</summary>
    private static void CopyContext(string source, string target, bool intoFolder)
    {
        var from = Repository.PathOf(source);
        if (Directory.Exists(from))
        {
            CopyDirectory(from, target, Path.GetRelativePath(Repository.Root, from));
            return;
        }
        var to = intoFolder ? Path.Combine(target, Path.GetFileName(from)) : target;
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }

    private static void CopyDirectory(string from, string to, string? contextPath = null)
    {
        var ignore = DockerIgnore.Load();
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (contextPath is not null && ignore.Excludes(Path.Combine(contextPath, relative))) continue;
            var destination = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next)) continue;
            var folder = Path.GetDirectoryName(next)!;
            foreach (var reference in XDocument.Load(Repository.PathOf(next)).Descendants("ProjectReference"))
                pending.Push(Path.GetRelativePath(Repository.Root, Path.Combine(Repository.Root, folder, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
        }
        return seen;
    }


    /// <summary>The .dockerignore patterns this project uses: <c>**/name/</c> (a folder anywhere) and <c>name/</c> (at the root).</summary>
    private sealed class DockerIgnore(List<string> anywhere, List<string> atRoot)
    {
        public static DockerIgnore Load()
        {
            var patterns = File.ReadAllLines(Repository.PathOf(".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            foreach (var p in patterns)
                Assert.Matches(@"^(\*\*/)?[\w.-]+/$", p); // other forms need a real matcher
            return new([.. patterns.Where(p => p.StartsWith("**/", StringComparison.Ordinal)).Select(p => p[3..^1])],
                [.. patterns.Where(p => !p.StartsWith("**/", StringComparison.Ordinal)).Select(p => p[..^1])]);
        }

        public bool Excludes(string path)
        {
            var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            return atRoot.Contains(segments[0]) || segments[..^1].Any(anywhere.Contains) || (path.EndsWith('/') && anywhere.Contains(segments[^1]));
        }
    }

    /// <summary>A started program that is killed on dispose; its output is kept for failure messages.</summary>
    private sealed class RunningProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private RunningProcess(Process process) => _process = process;

        public static async Task<RunningProcess> StartAsync(string program, IEnumerable<string> args, string workingDirectory,
            IReadOnlyDictionary<string, string> environment, string readyText, TimeSpan timeout)
        {
            var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
            foreach (var a in args) psi.ArgumentList.Add(a);
            foreach (var (k, v) in environment) psi.Environment[k] = v;
            var running = new RunningProcess(Process.Start(psi)!);
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnLine(object _, DataReceivedEventArgs e)
            {
                if (e.Data is null) return;
                lock (running._output) running._output.AppendLine(e.Data);
                if (e.Data.Contains(readyText, StringComparison.Ordinal)) ready.TrySetResult();
            }
            running._process.OutputDataReceived += OnLine;
            running._process.ErrorDataReceived += OnLine;
            running._process.BeginOutputReadLine();
            running._process.BeginErrorReadLine();
            var exited = running._process.WaitForExitAsync();
            if (await Task.WhenAny(ready.Task, exited, Task.Delay(timeout)) != ready.Task)
            {
                await running.DisposeAsync();
                lock (running._output) throw new InvalidOperationException($"{program} did not log '{readyText}' within {timeout}:\n{running._output}");
            }
            return running;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
