using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TableStore.Cli;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests;

/// <summary>
/// TLS between the CLI and the silos and between silos, with a self-signed certificate made here: two silo processes
/// on Redis clustering, the CLI trusting that certificate. A client without TLS, or one that trusts only the system's
/// roots, is refused with an error that says TLS; the certificate's password appears in no log.
/// </summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Clients_and_silos_talk_over_tls_with_a_self_signed_certificate_and_its_password_is_never_logged()
    {
        await using var cluster = new ProcessCluster();
        var password = "pfx-" + Guid.NewGuid().ToString("N");
        var (pfx, pem) = WriteCertificate(cluster.Warehouse, password);
        await cluster.StartRedisAsync();
        var tls = new Dictionary<string, string>
        {
            ["TableStore__TlsCertificate"] = pfx,
            ["TableStore__TlsCertificatePassword"] = password,
            ["TableStore__TlsTrustedCertificate"] = pem,
        };
        var first = await cluster.StartSiloAsync(settings: tls);
        var second = await cluster.StartSiloAsync(settings: tls);
        var trusted = new Dictionary<string, string?> { ["TABLESTORE_TLS_CA"] = pem, ["TABLESTORE_CONNECT_TIMEOUT"] = "60s", ["TABLESTORE_CLUSTER_ID"] = null };

        // Tables with several buckets: their grains land on both silos, which talk over TLS too.
        var create = await Cli(["table", "create", "t.tls", "--schema", "id BIGINT NOT NULL, v STRING", "--primary-key", "id", "--buckets", "4", "--cluster", first.Gateway], trusted);
        Assert.True(create.ExitCode == 0, create.Stderr + "\n--- silo log ---\n" + cluster.Output(first.Process)[^Math.Min(4000, cluster.Output(first.Process).Length)..]);
        var rows = "id,v\n" + string.Join("\n", Enumerable.Range(0, 500).Select(i => $"{i},v{i}"));
        var write = await Cli(["write", "t.tls", "--format", "csv", "--cluster", second.Gateway], trusted, rows);
        Assert.True(write.ExitCode == 0, write.Stderr);
        var scan = await Cli(["scan", "t.tls", "--format", "csv", "--cluster", first.Gateway], trusted);
        Assert.Equal(0, scan.ExitCode);
        Assert.Equal(501, scan.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var plain = await Cli(["table", "list", "--cluster", first.Gateway], new Dictionary<string, string?> { ["TABLESTORE_CONNECT_TIMEOUT"] = "10s", ["TABLESTORE_CLUSTER_ID"] = null });
        Assert.Equal(1, plain.ExitCode);
        Assert.True(plain.Stderr.Contains("requires TLS", StringComparison.Ordinal), plain.Stderr);

        var systemRoots = await Cli(["table", "list", "--cluster", first.Gateway], new Dictionary<string, string?> { ["TABLESTORE_TLS"] = "1", ["TABLESTORE_CONNECT_TIMEOUT"] = "10s", ["TABLESTORE_CLUSTER_ID"] = null });
        Assert.Equal(1, systemRoots.ExitCode);
        Assert.True(systemRoots.Stderr.Contains("The TLS connection to", StringComparison.Ordinal) || systemRoots.Stderr.Contains("The TLS handshake with", StringComparison.Ordinal), systemRoots.Stderr);

        foreach (var silo in cluster.Silos)
        {
            var log = cluster.Output(silo.Process);
            Assert.Contains("TLS on the silo and gateway ports", log);
            Assert.DoesNotContain(password, log);
        }
        Assert.DoesNotContain(password, write.Stderr + scan.Stderr + plain.Stderr + systemRoots.Stderr);
    }

    [Fact]
    public async Task A_silo_with_an_unreadable_certificate_or_a_wrong_password_does_not_start_and_says_which_setting_without_the_password()
    {
        await using var cluster = new ProcessCluster();
        var (pfx, _) = WriteCertificate(cluster.Warehouse, "right-password");
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartSiloAsync(redis: false, settings: new Dictionary<string, string>
        {
            ["TableStore__TlsCertificate"] = pfx,
            ["TableStore__TlsCertificatePassword"] = wrong,
        }));
        Assert.Contains("TableStore:TlsCertificate", e.Message);
        Assert.DoesNotContain(wrong, e.Message);
    }

    /// <summary>A self-signed certificate for localhost and 127.0.0.1: a password-protected PKCS#12 file and the public PEM.</summary>
    private static (string Pfx, string Pem) WriteCertificate(string dir, string password)
    {
        Directory.CreateDirectory(dir);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=tablestore-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(dir, "silo.pfx");
        var pem = Path.Combine(dir, "silo-cert.pem");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, password));
        File.WriteAllText(pem, certificate.ExportCertificatePem());
        return (pfx, pem);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> Cli(string[] args, IDictionary<string, string?> env, string stdin = "")
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, new StringReader(stdin), stdout, stderr, env).WaitAsync(TimeSpan.FromMinutes(3));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
