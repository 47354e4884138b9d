/// ArgumentParser's own texts in French: the headings of a help, and its usage errors, which
/// it writes in English only and with no way to change them but after the fact.
enum FrenchUsage {
    /// `text`, as ArgumentParser wrote it, with its English words in French; the command's own
    /// texts, already French, are left as they are.
    static func translated(_ text: String) -> String {
        translations.reduce(text) { text, translate in translate(text) }
    }

    /// In the order they apply: a longer sentence before its shorter start.
    private static let translations: [@Sendable (String) -> String] = [
        { $0.replacing(#/(?m)^OVERVIEW: /#, with: "PRÉSENTATION : ") },
        { $0.replacing(#/(?m)^USAGE: /#, with: "UTILISATION : ") },
        { $0.replacing(#/(?m)^OPTIONS:$/#, with: "OPTIONS :") },
        { $0.replacing(#/(?m)^ARGUMENTS:$/#, with: "ARGUMENTS :") },
        { $0.replacing(#/(?m)^SUBCOMMANDS:$/#, with: "SOUS-COMMANDES :") },
        { $0.replacing("Show help information.", with: "Afficher cette aide.") },
        { $0.replacing("Show subcommand help information.", with: "Afficher l'aide d'une sous-commande.") },
        {
            $0.replacing(#/See '(.+) <subcommand>' for detailed help\./#) {
                "« \($0.1) <sous-commande> » donne l'aide de chacune."
            }
        },
        { $0.replacing(#/See '(.+)' for more information\./#) { "« \($0.1) » en dit plus." } },
        { $0.replacing("<subcommand>", with: "<sous-commande>") },
        // The help is wrapped to the terminal's width before it reaches here: a line may end
        // after `default:`, its value on the next one.
        { $0.replacing(#/\(values:(\s)/#) { "(valeurs :\($0.1)" } },
        { $0.replacing(#/; default:(\s)/#) { " ; par défaut :\($0.1)" } },
        { $0.replacing(#/\(default:(\s)/#) { "(par défaut :\($0.1)" } },
        { $0.replacing(#/(?m)^Error: /#, with: "Erreur : ") },
        { $0.replacing(#/(?m)^Help: /#, with: "Aide : ") },
        { $0.replacing(#/(?m)^Usage: /#, with: "Utilisation : ") },
        { $0.replacing(#/Missing expected argument '(.+)'/#) { "Argument manquant : '\($0.1)'" } },
        { $0.replacing("Missing one of: ", with: "Il manque l'un de : ") },
        { $0.replacing("Missing required subcommand.", with: "Sous-commande manquante.") },
        {
            $0.replacing(#/Unknown option '([^']+)'\. Did you mean '([^']+)'\?/#) {
                "Option inconnue : '\($0.1)'. Vouliez-vous dire '\($0.2)' ?"
            }
        },
        { $0.replacing(#/Unknown option '([^']+)'/#) { "Option inconnue : '\($0.1)'" } },
        { $0.replacing("Invalid option: ", with: "Option incorrecte : ") },
        { $0.replacing(#/Missing value for '(.+)'/#) { "Valeur manquante pour '\($0.1)'" } },
        { $0.replacing(#/Unexpected argument '(.+)'/#) { "Argument inattendu : '\($0.1)'" } },
        { $0.replacing(#/(\d+) unexpected arguments: /#) { "\($0.1) arguments inattendus : " } },
        {
            $0.replacing(#/The value '(.*)' is invalid for '(.+)'/#) {
                "La valeur '\($0.1)' ne convient pas à '\($0.2)'"
            }
        },
        { $0.replacing(#/The value '(.*)' is invalid\./#) { "La valeur '\($0.1)' ne convient pas." } },
        { $0.replacing(". Please provide one of the following:", with: ". Valeurs possibles :") },
        { $0.replacing(". Please provide one of ", with: ". Valeurs possibles : ") },
        // The last two values of that list: `'texte' and 'json'`.
        { $0.replacing(#/(Valeurs possibles : .*') and '/#) { "\($0.1) et '" } },
        {
            $0.replacing(#/The option '(.+)' does not take any value, but '(.*)' was specified\./#) {
                "L'option '\($0.1)' ne prend pas de valeur, mais '\($0.2)' lui a été donnée."
            }
        },
        {
            $0.replacing(#/Value to be set with (.+) had already been set with (.+)/#) {
                "\($0.1) donne une valeur déjà donnée par \($0.2)"
            }
        },
    ]
}
