extension Tache {
    /// The descriptions of the import tâches, as Gestimum's `/listetaches` gives them, or its
    /// tâche's page for those its list leaves out. `TacheTests` checks that every domain has one.
    static let importDescriptions: [String: String] = [
        "ImporterActions": "Crée des actions par import de fichier texte",
        "ImporterAdressesTiers": "Crée des adresses par import de fichier texte",
        "ImporterAffaires": "Crée des affaires par import de fichier texte",
        "ImporterArticles": "Crée des articles seuls par import de fichier texte",
        "ImporterBanquesTiers": "Crée des banques par import de fichier texte",
        "ImporterClients": "Crée des clients par import de fichier texte",
        "ImporterCommerciaux": "Crée des commerciaux par import de fichier texte",
        "ImporterComposantsNomenclatures":
            "Crée des composants de nomenclatures seules par import de fichier texte",
        "ImporterComptes": "Crée des comptes par import de fichier texte",
        "ImporterComptesReporting": "Crée des comptes de reporting par import de fichier texte",
        "ImporterContacts": "Crée des contacts par import de fichier texte",
        "ImporterDevises": "Crée des devises par import de fichier texte",
        "ImporterDocumentsAchat": "Crée des documents d'achat par import de fichier texte",
        "ImporterDocumentsStock": "Crée des documents de stock par import de fichier texte",
        "ImporterDocumentsVente": "Crée des documents de vente par import de fichier texte",
        "ImporterEcritures": "Crée des écritures par import de fichier texte",
        "ImporterEquivalencesArticles": "Crée des équivalences d'articles seules par import de fichier texte",
        "ImporterFamillesArticles": "Crée des familles d'articles par import de fichier texte",
        "ImporterFournisseurs": "Crée des fournisseurs par import de fichier texte",
        "ImporterGlossaires": "Crée des glossaires par import de fichier texte",
        "ImporterGrillesTarifs": "Crée des grilles de tarifs par import de fichier texte",
        "ImporterImmobilisations": "Crée des immobilisations par import de fichier texte",
        "ImporterModesReglements": "Crée des modes de règlements par import de fichier texte",
        "ImporterNaturesComptables": "Crée des natures comptables par import de fichier texte",
        "ImporterPays": "Crée des pays par import de fichier texte",
        "ImporterProspects": "Crée des prospects par import de fichier texte",
        "ImporterReferencesClientsArticles":
            "Crée des références clients d'articles seules par import de fichier texte",
        "ImporterSalaries": "Crée des salariés par import de fichier texte",
        "ImporterSectionsAnalytiques": "Crée des sections analytiques par import de fichier texte",
        "ImporterSousFamillesArticles": "Crée des sous-familles d'articles par import de fichier texte",
        "ImporterTarifsArticles": "Crée des tarifs d'articles seuls par import de fichier texte",
        "ImporterTarifsFournisseursArticles": "Crée des tarifs fournisseurs seuls par import de fichier texte",
        "ImporterUtilisateurs": "Crée des utilisateurs par import de fichier texte",
        "ImporterVilles": "Crée des villes par import de fichier texte",
    ]
}
