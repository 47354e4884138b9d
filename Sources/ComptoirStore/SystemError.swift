import Foundation

/// The operating system's reasons for failing, in French: what a user reads after a path or
/// an address that could not be used.
public enum SystemError {
    public static func reason(errno code: Int32) -> String {
        switch code {
        case EACCES, EPERM: "permission refusée"
        case ENOTDIR: "un élément du chemin n'est pas un dossier"
        case ENOENT: "le chemin n'existe pas"
        case EISDIR: "c'est un dossier"
        case ENAMETOOLONG: "nom trop long"
        case EROFS: "système de fichiers en lecture seule"
        case ENOSPC: "plus de place sur le disque"
        case EDQUOT: "quota de disque dépassé"
        case EIO: "erreur d'entrée-sortie du disque"
        case EADDRINUSE: "adresse déjà utilisée"
        case EADDRNOTAVAIL: "adresse indisponible sur cette machine"
        default: "erreur système \(code) (\(String(cString: strerror(code))))"
        }
    }
}
