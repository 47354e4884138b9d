import ComptoirCore
import NIOCore
import NIOSSL

/// HTTPS as `comptoir demarrer --certificat <PEM> --cle <PEM>` serves it: the certificate chain
/// and its private key, read once at start.
public struct ServerTLS: Sendable {
    let context: NIOSSLContext

    /// Reads the PEM files; a file that is missing or not what it should be is a French error.
    public init(certificate: String, key: String) throws(TLSFilesError) {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw TLSFilesError(message: "Le certificat \(certificate) est illisible (PEM attendu)")
        }
        guard !chain.isEmpty else {
            throw TLSFilesError(message: "Le fichier \(certificate) ne contient aucun certificat")
        }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw TLSFilesError(message: "La clé \(key) est illisible (PEM attendu)")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSFilesError(message: "Le certificat \(certificate) et la clé \(key) ne vont pas ensemble")
        }
    }

    /// Whether `host` can only be reached from this machine, where passwords may travel
    /// without TLS: `localhost`, 127.0.0.0/8 (also as an IPv6 address, `::ffff:127.…`, as a
    /// server listening on `::` sees such peers) and `::1`. Addresses as written, never a name
    /// that starts alike (`127.intranet.fr` may lead anywhere).
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        guard (try? SocketAddress(ipAddress: host, port: 0)) != nil else { return false }
        return host.hasPrefix("127.") || host.lowercased().hasPrefix("::ffff:127.")
    }
}

/// Why the certificate or the key of HTTPS cannot be used.
public struct TLSFilesError: FrenchError {
    public let message: String
}
