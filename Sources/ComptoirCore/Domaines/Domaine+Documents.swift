/// Sales, purchase and stock documents (`documents.md`): one engine, three families.
extension Domaine {
    static let documents: [Domaine] = [documentsVente, documentsAchat, documentsStock]

    public static let documentsVente = Domaine(
        documents: .vente, name: "DocumentsVente", fileKey: "documents_vente", catalogue: .documentsVente)
    public static let documentsAchat = Domaine(
        documents: .achat, name: "DocumentsAchat", fileKey: "documents_achat", catalogue: .documentsAchat)
    public static let documentsStock = Domaine(
        documents: .stock, name: "DocumentsStock", fileKey: "documents_stock", catalogue: .documentsStock)
}
