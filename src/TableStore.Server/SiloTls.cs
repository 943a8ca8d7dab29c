using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using TableStore.Abstractions.Security;

namespace TableStore.Server;

/// <summary>What the silo presents over TLS, for the start-up log (registered only when TLS is on).</summary>
internal sealed record SiloTlsCertificate(string Subject, string Thumbprint, DateTime NotAfter, string Trusted);

/// <summary>TLS between clients and silos and between silos (<see cref="ServerOptions.TlsCertificate"/>).</summary>
internal static class SiloTls
{
    public static ISiloBuilder UseTableStoreTls(this ISiloBuilder silo, ServerOptions server)
    {
        if (server.TlsCertificate is not { Length: > 0 } path) return silo;
        var certificate = Load(path, server.TlsCertificatePassword);
        silo.Services.AddSingleton(new SiloTlsCertificate(certificate.Subject, certificate.Thumbprint, certificate.NotAfter.ToUniversalTime(),
            server.TlsTrustedCertificate ?? "the system's trusted roots"));
        var trust = new CertificateTrust(server.TlsTrustedCertificate is { Length: > 0 } t ? CertificateTrust.LoadTrusted(t) : null, checkName: false, allowMissing: true);
        return silo.UseTls(certificate, o =>
        {
            // Clients present no certificate (the network decides who may connect, docs/security.md); a silo
            // connecting to another presents its own, which must chain to the trusted certificate.
            o.ClientCertificateMode = RemoteCertificateMode.AllowCertificate;
            o.RemoteCertificateMode = RemoteCertificateMode.AllowCertificate;
            o.RemoteCertificateValidation = trust.Accept;
        });
    }

    /// <summary>The silo's certificate with its private key; errors name the file, never the password.</summary>
    private static X509Certificate2 Load(string path, string? password)
    {
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            var certificate = extension is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, password)
                : string.IsNullOrEmpty(password) ? X509Certificate2.CreateFromPemFile(path) : X509Certificate2.CreateFromEncryptedPemFile(path, password);
            if (!certificate.HasPrivateKey)
                throw new InvalidOperationException($"TableStore:TlsCertificate {path} holds no private key: the silo needs one to present its certificate.");
            return certificate;
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"TableStore:TlsCertificate {path} cannot be read ({e.Message}): expected a PKCS#12 file (.pfx/.p12) with TableStore:TlsCertificatePassword, or a PEM file with the certificate and its key.", e);
        }
    }
}
