import ComptoirStore

/// A condition on `COMPTES` that leaves out the general accounts every société starts with:
/// what remains is what imports made.
public let importedAccounts =
    "CPT_NUMERO NOT IN (\(SeedData.comptesGeneraux.map { "'\($0.0)'" }.joined(separator: ", ")))"
