/// The file name of a société, from what a request or a command gives (contract, section 7).
public enum SocieteName {
    public static let fileExtension = ".Gestimum"
    /// The longest name, without its extension.
    static let maximumLength = 200

    /// `<NOM>.Gestimum` for `fichier`: only the part after the last `/` or `\` counts, so that
    /// `C:\ProgramData\Gestimum\DEMO.Gestimum` finds `DEMO.Gestimum`; the extension is added when
    /// missing. Trailing spaces and dots are dropped, as Windows drops them from a file name, so
    /// that `DEMO.Gestimum ` finds `DEMO.Gestimum` as it does there. Names outside
    /// `[A-Za-z0-9 _.-]`, or starting with `.`, are refused.
    public static func fileName(for fichier: String) throws(RequestRefusal) -> String {
        let lastPart = fichier.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        let written = lastPart.split(separator: "\\", omittingEmptySubsequences: false).last ?? ""
        let name = String(written.lastIndex { $0 != " " && $0 != "." }.map { written[...$0] } ?? "")
        let base =
            name.lowercased().hasSuffix(fileExtension.lowercased())
            ? String(name.dropLast(fileExtension.count)) : name
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
                    || " _.-".unicodeScalars.contains(scalar))
        }
        let reason: String? =
            if !allowed {
                "lettres sans accent, chiffres, espaces, « _ », « . » et « - » seulement"
            } else if written.hasPrefix(".") {
                "il ne peut pas commencer par un point"
            } else if base.isEmpty {
                "il est vide"
            } else if base.count > maximumLength {
                "\(maximumLength) caractères au plus"
            } else {
                nil
            }
        if let reason {
            // A name left empty is shown as it was written, and an empty one as it was given:
            // `..` and `DEMO\` say more than nothing.
            let shown = !name.isEmpty ? name : !written.isEmpty ? String(written) : fichier
            throw RequestRefusal("Le nom de société « \(shown) » est invalide : \(reason)")
        }
        return base + fileExtension
    }

    /// The société a file of the data folder holds, as the messages name it: its file name
    /// without `.Gestimum`.
    public static func societe(ofFile path: String) -> String {
        let name = String(path.split(separator: "/").last ?? "")
        return name.hasSuffix(fileExtension) ? String(name.dropLast(fileExtension.count)) : name
    }
}
