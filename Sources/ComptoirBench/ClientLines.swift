/// Realistic client lines for the benchmark: 12 fields with accents, addresses, a valid SIRET
/// (whose SIREN is valid too), an e-mail; one line in ten updates the client of an earlier line.
/// Warned lines have a SIRET that passes its key but whose SIREN does not: each line then
/// carries one warning.
struct ClientLines: Sendable {
    static let header =
        "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_RUE;PCF_COMP;PCF_CP;PCF_VILLE;PAY_CODE;PCF_SIRET;PCF_EMAIL;PCF_TEL1;PCF_DATIMM"
    let count: Int
    var warned = false

    private static let names = [
        "Boulangerie", "Menuiserie", "Pharmacie", "Librairie", "Épicerie", "Garage", "Fromagerie",
    ]
    private static let owners = ["Dupré", "Lefèvre", "Müller", "Garçon", "Bénard", "Noël", "Côté"]
    private static let streets = ["rue de l'Église", "avenue Général-Leclerc", "place du Marché", "chemin des Prés"]
    private static let cities = [
        ("78120", "Rambouillet"), ("75011", "Paris"), ("69003", "Lyon"), ("13001", "Marseille"),
    ]

    /// The client code of line `index` (from 0): a new one, or an earlier one for one line in ten.
    func code(_ index: Int) -> String {
        let client = index % 10 == 9 ? index / 2 : index
        return "C" + String(client)
    }

    /// The fields of line `index`, for the floor, which writes them without splitting.
    func fields(_ index: Int) -> [String] {
        let code = code(index)
        let (postalCode, city) = Self.cities[index % Self.cities.count]
        return [
            code, "411" + code, "\(Self.names[index % 7]) \(Self.owners[(index / 7) % 7]) n°\(index)",
            "\(index % 200 + 1) \(Self.streets[index % 4])", "Bâtiment \(index % 3 + 1)", postalCode, city, "FR",
            Self.siret(index, warned: warned), "contact\(index)@exemple.fr",
            "01 23 45 \(String(format2: index % 100)) 00",
            "\(String(format2: index % 28 + 1))/\(String(format2: index % 12 + 1))/\(1990 + index % 30)",
        ]
    }

    func line(_ index: Int) -> String { fields(index).joined(separator: ";") }

    /// A SIRET as INSEE gives them, different for each line: a SIREN (8 digits and its Luhn
    /// key), then a 4-digit establishment number and the SIRET's own Luhn key.
    private static func siret(_ index: Int, warned: Bool) -> String {
        let valid = withLuhnKey(String(index / 10_000 + 10_000_000))
        // Another last digit breaks the SIREN's key; the SIRET gets its own key all the same.
        let siren = warned ? valid.dropLast() + String((Int(String(valid.last!))! + 1) % 10) : valid
        return withLuhnKey(siren + String(index % 10_000).paddedLeft(to: 4))
    }

    /// `digits` followed by the key that makes the whole pass the Luhn check.
    private static func withLuhnKey(_ digits: String) -> String {
        let sum = digits.compactMap(\.wholeNumberValue).reversed().enumerated().reduce(0) { sum, element in
            // The key will take the first place from the right: the digits start at the second.
            let doubled = element.offset % 2 == 0 ? element.element * 2 : element.element
            return sum + (doubled > 9 ? doubled - 9 : doubled)
        }
        return digits + String((10 - sum % 10) % 10)
    }
}

extension String {
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : String(value) }

    func paddedLeft(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
