import Synchronization

/// What the catalogue domains (articles, their families, prices and links) add to `TableRules`
/// (`domains.md` §3).

/// A tiers code that must name a tiers of one kind: the supplier of a price, the client of a
/// reference.
struct TiersOfType: TableLineRule {
    let column: String
    let type: TiersType
    /// The reason of a code that names no tiers of this kind.
    let unknown: @Sendable (String) -> String

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        guard let code = line.text(column), try store.tiers(code: code)?.type != type else { return LineVerdict() }
        return LineVerdict(reasons: [unknown(code)])
    }
}

/// An empty or absent currency means the société's (`DEVISE_SOCIETE`). With `articleStamp`, a
/// price in that currency also becomes the article's own prices (TarifsArticles), the article
/// stamped as changed by the request.
struct SocieteCurrency: TableLineRule {
    static let preference = "DEVISE_SOCIETE"
    static let articlePrices = ["ART_P_ACH", "ART_P_COEF", "ART_P_VTE"]

    /// The article's prices that `line` gives, which its article and its tariff line share.
    static func articlePrices(of line: LineValues) -> LineValues {
        LineValues(articlePrices.compactMap { name in line[name].map { (name, $0) } })
    }

    var currency = "EUR"
    let articleStamp: AuditStamp?

    func settled(in store: some RecordStore) throws -> any TableLineRule {
        var rule = self
        rule.currency = try store.preference(Self.preference) ?? currency
        return rule
    }

    func prepare(_ line: inout LineValues) -> [String]? {
        line.fill("DEV_CODE", .text(currency))
        return nil
    }

    /// Whether `line` is the article's own price: in the société's currency, without gamme
    /// (a gamme's price is the gamme's).
    private func isArticlePrice(_ line: LineValues) -> Bool {
        articleStamp != nil && line.text("DEV_CODE") == currency && line.text("ART_GAMME") == nil
    }

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        // A new line of the article's own price takes the article's prices it does not give:
        // the two follow each other, and its export would otherwise empty the article's.
        guard !exists, isArticlePrice(line), let code = line.text("ART_CODE"),
            let article = try store.row(
                in: "ARTICLES", key: LineValues([("ART_CODE", .text(code))]), columns: Self.articlePrices)
        else { return LineVerdict() }
        for (name, value) in zip(Self.articlePrices, article) where value != .null && (line[name] ?? .null) == .null {
            line.set(name, value)
        }
        return LineVerdict()
    }

    func written(_ line: LineValues, store: some RecordStore) throws {
        guard let articleStamp, isArticlePrice(line), let code = line.text("ART_CODE") else { return }
        var prices = Self.articlePrices(of: line)
        guard !prices.fields.isEmpty else { return }
        let key = LineValues([("ART_CODE", .text(code))])
        if let audit = Domaine.articles.table.audit {
            let count = try store.row(in: "ARTICLES", key: key, columns: [audit.updateCount])?[0].integer ?? 0
            audit.stamp(&prices, with: articleStamp, existingCount: count)
        }
        try store.write(RecordChange(table: "ARTICLES", kind: .update, key: key, values: prices))
    }
}

/// Articles: an article's prices are also the first line of its tariff, in the société's
/// currency (Gestimum's help), which TarifsArticles writes to `ART_PRIX` and copies back to the
/// article. An update of the article's prices updates that line too, where there is one (an
/// update of no row changes nothing): a new article has none, so its creation writes nothing
/// more.
final class ArticlePricesFollowed: TableLineRule {
    private let currency: String
    /// Whether the line checked last updates an existing article: a line's `written` follows
    /// its check, before the next line's.
    private let updating = Mutex<Bool>(false)

    init(currency: String = "EUR") { self.currency = currency }

    func settled(in store: some RecordStore) throws -> any TableLineRule {
        ArticlePricesFollowed(currency: try store.preference(SocieteCurrency.preference) ?? currency)
    }

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        updating.withLock { $0 = exists }
        return LineVerdict()
    }

    func written(_ line: LineValues, store: some RecordStore) throws {
        guard updating.withLock({ $0 }), let code = line.text("ART_CODE") else { return }
        let prices = SocieteCurrency.articlePrices(of: line)
        guard !prices.fields.isEmpty else { return }
        let key = LineValues([("ART_CODE", .text(code)), ("DEV_CODE", .text(currency)), ("ART_GAMME", .text(""))])
        try store.write(RecordChange(table: "ART_PRIX", kind: .update, key: key, values: prices))
    }
}

/// A sous-famille moved to another family takes its articles and its grille lines with it: an
/// article's family is its sous-famille's (`ArticlesRule`), as is a sous-famille's grille
/// line's (`GrillesRule`), and they never disagree. The articles are stamped as changed by the
/// request. The check tells a move from the family stored before the line, so that a line
/// keeping its family reads nothing: neither table has an index on `SFA_CODE`.
final class CatalogueFollowsSousFamille: TableLineRule {
    let stamp: AuditStamp
    /// The sous-famille the line checked last moves, if it does: a line's `written` follows
    /// its check, before the next line's.
    private let moving = Mutex<String?>(nil)

    init(stamp: AuditStamp) { self.stamp = stamp }

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        var moved: String?
        if exists, let sousFamille = line.text("SFA_CODE"), let famille = line.text("FAR_CODE"),
            try store.family(ofSousFamille: sousFamille) != famille
        {
            moved = sousFamille
        }
        moving.withLock { $0 = moved }
        return LineVerdict()
    }

    func written(_ line: LineValues, store: some RecordStore) throws {
        guard let sousFamille = moving.withLock({ $0 }), line.text("SFA_CODE") == sousFamille,
            let famille = line.text("FAR_CODE")
        else { return }
        let audit = Domaine.articles.table.audit
        let articles = try store.rows(
            in: "ARTICLES", matching: LineValues([("SFA_CODE", .text(sousFamille))]),
            columns: ["ART_CODE", "FAR_CODE"] + [audit?.updateCount].compactMap { $0 })
        for article in articles where article[1] != .text(famille) {
            var values = LineValues([("FAR_CODE", .text(famille))])
            audit?.stamp(&values, with: stamp, existingCount: article.dropFirst(2).first?.integer ?? 0)
            try store.write(
                RecordChange(
                    table: "ARTICLES", kind: .update, key: LineValues([("ART_CODE", article[0])]), values: values))
        }
        // The family is part of a grille line's key. A line the sous-famille already has under
        // its new family (written before moves took them along) is left as it was.
        let grilles = Domaine.grillesTarifs.table
        let keyOf = { (values: [FieldValue]) in LineValues(Array(zip(grilles.key, values))) }
        let familleIndex = grilles.key.firstIndex(of: "FAR_CODE")!
        let lines = try store.rows(
            in: grilles.name, matching: LineValues([("SFA_CODE", .text(sousFamille)), ("ART_CODE", .text(""))]),
            columns: grilles.key)
        for key in lines where key[familleIndex] != .text(famille) {
            var moved = key
            moved[familleIndex] = .text(famille)
            guard try !store.exists(in: grilles.name, key: keyOf(moved)) else { continue }
            try store.write(
                RecordChange(
                    table: grilles.name, kind: .update, key: keyOf(key),
                    values: LineValues([("FAR_CODE", .text(famille))]))
            )
        }
    }
}

/// Key columns that may be left empty (a range, a priority): empty is then their value.
struct EmptyKeyParts: TableLineRule {
    let columns: [String]

    func prepare(_ line: inout LineValues) -> [String]? {
        for column in columns { line.fill(column, .text("")) }
        return nil
    }
}

/// Two article codes of a line that may not be the same (an équivalence, a composant).
struct DistinctArticles: TableLineRule {
    let other: String

    func prepare(_ line: inout LineValues) -> [String]? {
        guard let code = line.text("ART_CODE"), line.text(other) == code else { return nil }
        return ["Le champ \(other) doit désigner un autre article que \(code)"]
    }
}

/// Articles: the sous-famille belongs to the family (and gives it when the line does not), and
/// a new article takes the defaults of its sous-famille, else of its family, for the fields the
/// line does not give.
struct ArticlesRule: TableLineRule {
    /// The columns `ART_<S>` that `SFA_<S>` and `FAR_<S>` give defaults to, and those two lists:
    /// the sous-famille's own family first, then its defaults.
    let inherited: [String]
    private let sousFamilleColumns: [String]
    private let familleColumns: [String]
    /// What a family holds of itself, not for its articles: its label, and whether it sleeps
    /// (Gestimum's help lists the fields an article takes from its family, and these are not
    /// among them).
    static let familyOwn: Set = ["LIB", "DORT"]

    init(description: TableDescription, famille: TableDescription, sousFamille: TableDescription) {
        let own = Set(description.columns.map(\.name)).subtracting(description.key)
            .subtracting(description.audit?.names ?? [])
        func suffixes(_ table: TableDescription, _ prefix: String) -> Set<String> {
            Set(
                table.columns.map(\.name).filter { $0.hasPrefix(prefix) && !table.key.contains($0) }
                    .map { String($0.dropFirst(prefix.count)) })
        }
        let inheritedSuffixes = suffixes(sousFamille, "SFA_").union(suffixes(famille, "FAR_"))
            .subtracting(Self.familyOwn).filter { own.contains("ART_" + $0) }.sorted()
        inherited = inheritedSuffixes.map { "ART_" + $0 }
        sousFamilleColumns = ["FAR_CODE"] + inheritedSuffixes.map { "SFA_" + $0 }
        familleColumns = inheritedSuffixes.map { "FAR_" + $0 }
    }

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        var sousFamille: [FieldValue]?
        if let code = line.text("SFA_CODE") {
            sousFamille = try store.row(
                in: "ART_SFAM", key: LineValues([("SFA_CODE", .text(code))]), columns: sousFamilleColumns)
            if let sousFamille, let family = sousFamille[0].text {
                if let given = line.text("FAR_CODE"), given != family {
                    return LineVerdict(reasons: [RuleSupport.sousFamilleOutside(code, famille: given)])
                }
                // A sous-famille has its family: an article line that names none takes it.
                if line.text("FAR_CODE") == nil { line.set("FAR_CODE", .text(family)) }
            }
        } else if exists, line["SFA_CODE"] == nil, line["FAR_CODE"] != nil, let key = line.text("ART_CODE"),
            let stored = try store.row(
                in: "ARTICLES", key: LineValues([("ART_CODE", .text(key))]), columns: ["SFA_CODE"])?[0].text,
            let storedFamily = try store.family(ofSousFamille: stored)
        {
            guard let family = line.text("FAR_CODE") else {
                // An empty family beside the sous-famille that stays is that sous-famille's, as
                // on a created article.
                line.set("FAR_CODE", .text(storedFamily))
                return LineVerdict()
            }
            if storedFamily != family {
                // Another family for an article whose sous-famille stays: the two must agree.
                return LineVerdict(reasons: [RuleSupport.sousFamilleOutside(stored, famille: family)])
            }
        }
        guard !exists else { return LineVerdict() }
        let famille = try line.text("FAR_CODE").flatMap { code in
            try store.row(in: "ART_FAM", key: LineValues([("FAR_CODE", .text(code))]), columns: familleColumns)
        }
        // Only the defaults there are are looked for in the line: most columns have none.
        for (index, column) in inherited.enumerated() {
            let sousFamilleValue = sousFamille?[index + 1] ?? .null
            let value = sousFamilleValue != .null ? sousFamilleValue : famille?[index] ?? .null
            if value != .null, line[column] == nil, let value = Self.articleValue(value, of: column) {
                line.append(column, value)
            }
        }
        return LineVerdict()
    }

    /// A family's or sous-famille's value as the article's `column` takes it: LIFO is `O` there
    /// and `F` here; a code the article's field does not take (a family's `-`, "none") is no
    /// default.
    private static func articleValue(_ value: FieldValue, of column: String) -> FieldValue? {
        guard case .text(let text) = value, case .text(_, let codes)? = Catalogue.articles.field(named: column)?.type,
            !codes.isEmpty
        else { return value }
        let code = column == "ART_STOCK" && text == "O" ? "F" : text
        return codes.contains(code) ? .text(code) : nil
    }
}

/// ComposantsNomenclatures: the parent is a nomenclature or a forfait, no article is its own
/// component however deep, a new component is numbered after its parent's others, and its
/// quantity is 1 unless given.
struct ComposantsRule: TableLineRule {
    static let parentTypes: Set<String> = ["N", "F"]

    func prepare(_ line: inout LineValues) -> [String]? {
        if line.text("PRD_CODE") == line.text("ART_CODE"), let code = line.text("ART_CODE") {
            return ["L'article \(code) ne peut pas être son propre composant (cycle \(code) → \(code))"]
        }
        // An assemblage takes quantity × PRD_QTE of each component: none, or less, is no component.
        if let quantity = line.text("PRD_QTE").flatMap(DecimalNumber.init), quantity.isNegative || quantity.isZero {
            return ["La quantité du composant doit être positive : \(quantity.french)"]
        }
        return nil
    }

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        guard let parent = line.text("ART_CODE"), let component = line.text("PRD_CODE") else { return LineVerdict() }
        var reasons: [String] = []
        var warnings: [LineWarning] = []
        // An article without a type is neither; an unknown one is said by the reference check.
        let parentRow = try store.row(
            in: "ARTICLES", key: LineValues([("ART_CODE", .text(parent))]), columns: ["ART_TYPE"])
        let parentType = parentRow?[0].text
        if parentRow != nil, !Self.parentTypes.contains(parentType ?? "") {
            reasons.append("L'article \(parent) n'est ni une nomenclature ni un forfait")
        }
        // Gestimum's help: a nomenclature's component is priced as the component article, "il
        // est impossible d'indiquer un autre tarif"; a forfait's may be priced otherwise, and
        // is priced as the article unless the line says.
        if parentType == "N" || (parentType == "F" && !exists && line.text("PRD_PRIX") == nil),
            let price = try store.row(
                in: "ARTICLES", key: LineValues([("ART_CODE", .text(component))]), columns: ["ART_P_VTE"])?[0]
        {
            if parentType == "N", let given = line.text("PRD_PRIX").flatMap(DecimalNumber.init),
                given != price.text.flatMap(DecimalNumber.init)
            {
                warnings.append(
                    "Le prix d'un composant de nomenclature est celui de l'article \(component) : \(given.french) est ignoré"
                )
            }
            line.set("PRD_PRIX", price)
        }
        if let path = try pathOfComponents(from: component, to: parent, store: store) {
            reasons.append(
                "L'article \(component) contient déjà \(parent) : cycle \(([parent] + path).joined(separator: " → "))")
        }
        if !exists {
            let siblings = try store.rows(
                in: "ART_PROD", matching: LineValues([("ART_CODE", .text(parent))]), columns: ["PRD_LIGNE"])
            let last = siblings.compactMap { $0[0].integer }.max() ?? 0
            line.set("PRD_LIGNE", .integer(last + 1))
        }
        // An empty quantity is the default one, never none: an assemblage would take nothing.
        line.fillDefault("PRD_QTE", .text("1.000"), creating: !exists)
        return LineVerdict(reasons: reasons, warnings: warnings)
    }

    /// The articles from `start` down to `target` through their components, if `target` is
    /// one of them however deep: the cycle the line would close.
    private func pathOfComponents(from start: String, to target: String, store: some RecordStore) throws -> [String]? {
        var visited: Set<String> = [start]
        var paths: [[String]] = [[start]]
        while !paths.isEmpty {
            var next: [[String]] = []
            for path in paths {
                let components = try store.rows(
                    in: "ART_PROD", matching: LineValues([("ART_CODE", .text(path.last!))]), columns: ["PRD_CODE"])
                for case .text(let component) in components.map({ $0[0] }) {
                    if component == target { return path + [component] }
                    if visited.insert(component).inserted { next.append(path + [component]) }
                }
            }
            paths = next
        }
        return nil
    }
}

/// GrillesTarifs: each line is one line of a grille (`TGRILLES`), for an article, a family or a
/// sous-famille, and names the grille itself (`TARIFS`), whose label it needs only to create it.
/// The line is found by its article, else its sous-famille, else its family (Gestimum's help on
/// the import): an article's line keeps no family, a sous-famille's line has its family.
struct GrillesRule: TableLineRule {
    static let targets = ["ART_CODE", "FAR_CODE", "SFA_CODE"]

    func prepare(_ line: inout LineValues) -> [String]? {
        // No threshold, a key part, is a threshold of 0: filled first, so that a line without
        // its target is told that alone, not that its key is incomplete.
        line.fill("TAR_BORNE", .text("0.000"))
        guard Self.targets.contains(where: { line.text($0) != nil }) else {
            return ["Code article, famille ou sous-famille manquant"]
        }
        // A threshold is a quantity from which the line applies: none is below 0.
        if let threshold = line.text("TAR_BORNE").flatMap(DecimalNumber.init), threshold.isNegative {
            return ["Le seuil TAR_BORNE ne peut pas être négatif : \(threshold.french)"]
        }
        if let discount = line.text("TAR_REMISE") {
            guard Discount.isValidInGrille(discount) else { return ["La remise \(discount) n'est pas valide"] }
            // Only a line past the first threshold follows another (Gestimum's help: "à
            // l'exception de la première ligne").
            if discount.trimmingSpaces().hasPrefix("+"),
                line.text("TAR_BORNE").flatMap(DecimalNumber.init).map({ $0.isZero }) ?? true
            {
                return ["La remise \(discount) ne peut suivre aucune ligne : le seuil TAR_BORNE est 0"]
            }
        }
        return nil
    }

    func completeKey(_ line: inout LineValues, store: some RecordStore) throws -> [String] {
        let famille = line.text("FAR_CODE")
        let sousFamille = line.text("SFA_CODE")
        if let article = line.text("ART_CODE") {
            guard famille != nil || sousFamille != nil else { return [] }
            // Given beside the article, they must be its own; the line is the article's alone.
            if let own = try store.row(
                in: "ARTICLES", key: LineValues([("ART_CODE", .text(article))]), columns: ["FAR_CODE", "SFA_CODE"])
            {
                if let famille, famille != own[0].text {
                    return ["L'article \(article) n'appartient pas à la famille \(famille)"]
                }
                if let sousFamille, sousFamille != own[1].text {
                    return ["L'article \(article) n'appartient pas à la sous-famille \(sousFamille)"]
                }
            }
            line.set("FAR_CODE", .text(""))
            line.set("SFA_CODE", .text(""))
        } else if let sousFamille, let family = try store.family(ofSousFamille: sousFamille) {
            if let famille, famille != family { return [RuleSupport.sousFamilleOutside(sousFamille, famille: famille)] }
            line.set("FAR_CODE", .text(family))
        }
        return []
    }

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        // No imposed price is a price of 0; an update without one keeps its price.
        line.fillDefault("TAR_PRIX", .text("0.0000"), creating: !exists)
        guard line.text("TAR_LIB") == nil, let code = line.text("TAR_CODE"),
            try !store.exists(in: "TARIFS", key: LineValues([("TAR_CODE", .text(code))]))
        else { return LineVerdict() }
        return LineVerdict(reasons: ["Libellé manquant"])
    }

    func written(_ line: LineValues, store: some RecordStore) throws {
        guard let code = line.text("TAR_CODE") else { return }
        let key = LineValues([("TAR_CODE", .text(code))])
        let exists = try store.exists(in: "TARIFS", key: key)
        // An empty label leaves an existing grille's as it is.
        guard let label = line.text("TAR_LIB") else { return }
        try store.write(
            RecordChange(
                table: "TARIFS", kind: exists ? .update : .create, key: key,
                values: LineValues([("TAR_LIB", .text(label))])))
    }
}
