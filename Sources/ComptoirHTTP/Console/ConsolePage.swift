/// The console's texts, served by `ConsoleAsset`.
enum ConsoleTexts {
    /// The one page: every step is a section of it, shown by the script.
    static let page = #"""
        <!DOCTYPE html>
        <html lang="fr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Comptoir — console</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/console/console.css">
        <script src="/console/console.js" defer></script>
        </head>
        <body>
        <header class="bandeau">
          <h1>Comptoir <span>console</span></h1>
          <div id="session" hidden>
            <span id="session-nom"></span>
            <button type="button" id="deconnexion" class="discret">Se déconnecter</button>
          </div>
        </header>

        <main>
        <section id="connexion" class="carte">
          <h2>Connexion à une société</h2>
          <form id="form-connexion" autocomplete="off">
            <label>Société <input id="societe" name="societe" required placeholder="DEMO" value="DEMO"></label>
            <label>Utilisateur <input id="utilisateur" name="utilisateur" required placeholder="DEMO"></label>
            <label>Mot de passe <input id="mot-passe" name="mot-passe" type="password"></label>
            <button type="submit" id="se-connecter">Se connecter</button>
          </form>
          <p id="connexion-message" class="message" role="alert" hidden></p>
          <p class="aide">Les identifiants restent dans cette page : ils ne sont ni enregistrés ni gardés après
            sa fermeture.</p>
        </section>

        <nav id="onglets" hidden>
          <button type="button" id="onglet-importer" class="onglet actif" aria-controls="importer">Importer</button>
          <button type="button" id="onglet-consulter" class="onglet" aria-controls="consulter">Consulter</button>
        </nav>

        <section id="importer" class="carte" hidden>
          <h2>Importer un fichier</h2>
          <div class="ligne-champs">
            <label>Domaine <select id="import-domaine"></select></label>
          </div>
          <p id="import-domaine-note" class="aide" hidden></p>
          <label id="depot" class="depot" tabindex="0">
            <input id="fichier" type="file" accept=".csv,.txt,text/csv,text/plain">
            <span id="depot-texte">Déposez ici un fichier CSV ou TXT, ou cliquez pour le choisir.</span>
          </label>
          <div id="fichier-infos" hidden>
            <dl class="infos">
              <div><dt>Fichier</dt><dd id="info-nom"></dd></div>
              <div><dt>Encodage</dt><dd id="info-encodage"></dd></div>
              <div><dt>Séparateur</dt><dd id="info-separateur"></dd></div>
              <div><dt>Lignes de données</dt><dd id="info-lignes"></dd></div>
            </dl>
            <h3>Colonnes du fichier</h3>
            <div class="defile">
              <table id="correspondance">
                <thead><tr><th>N°</th><th>Colonne du fichier</th><th>Champ du catalogue</th><th>Exemple</th></tr></thead>
                <tbody></tbody>
              </table>
            </div>
            <div class="actions">
              <button type="button" id="tester">Tester (tester=Oui)</button>
              <button type="button" id="importer-vraiment" class="principal">Importer</button>
            </div>
            <p id="tester-note" class="aide" hidden></p>
          </div>
          <div id="progression" hidden>
            <progress id="barre" max="100" value="0"></progress>
            <span id="progression-texte"></span>
          </div>
          <p id="import-message" class="message" role="alert" hidden></p>
          <div id="resultat" hidden>
            <h3 id="resultat-titre"></h3>
            <p id="resultat-compte"></p>
            <div id="rejets-bloc" hidden>
              <h3>Lignes rejetées</h3>
              <div class="defile">
                <table id="rejets">
                  <thead><tr><th>Ligne</th><th>Texte de la ligne</th><th>Raison</th></tr></thead>
                  <tbody></tbody>
                </table>
              </div>
            </div>
            <div id="avertissements-bloc" hidden>
              <h3>Avertissements</h3>
              <div class="defile">
                <table id="avertissements">
                  <thead><tr><th>Ligne</th><th>Texte de la ligne</th><th>Avertissement</th></tr></thead>
                  <tbody></tbody>
                </table>
              </div>
            </div>
            <details>
              <summary>Journal complet</summary>
              <pre id="journal"></pre>
            </details>
          </div>
        </section>

        <section id="consulter" class="carte" hidden>
          <h2>Consulter la société</h2>
          <form id="form-recherche" class="ligne-champs">
            <label>Domaine <select id="lecture-domaine"></select></label>
            <label>Champ <select id="recherche-champ"></select></label>
            <label>Commence par <input id="recherche-texte" type="search" placeholder="(tout)"></label>
            <label>Par page <select id="limite">
              <option value="25">25</option><option value="50" selected>50</option><option value="100">100</option>
              <option value="500">500</option>
            </select></label>
            <button type="submit" id="rechercher">Rechercher</button>
          </form>
          <p id="lecture-message" class="message" role="alert" hidden></p>
          <div class="pagination">
            <button type="button" id="page-precedente" disabled>‹ Précédente</button>
            <span id="page-numero"></span>
            <button type="button" id="page-suivante" disabled>Suivante ›</button>
            <button type="button" id="exporter" class="exporter">Exporter en CSV</button>
          </div>
          <div class="defile">
            <table id="enregistrements">
              <thead></thead>
              <tbody></tbody>
            </table>
          </div>
          <div id="fiche" hidden>
            <h3 id="fiche-titre"></h3>
            <dl id="fiche-champs" class="infos"></dl>
            <div id="fiche-enfants"></div>
          </div>
        </section>
        </main>
        </body>
        </html>

        """#
}
