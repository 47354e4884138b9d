extension ConsoleTexts {
    /// The console's look: system fonts only, one column below 700 pixels.
    static let style = #"""
        :root {
          --fond: #f4f5f7; --carte: #fff; --texte: #1d2330; --doux: #5b6475; --bord: #d8dce3;
          --accent: #1f5fa8; --accent-fonce: #174a83; --erreur: #a3261b; --erreur-fond: #fdecea;
          --ok: #1d6b3a; --ok-fond: #e8f5ec; --avert: #7a5300; --avert-fond: #fff6e0;
        }
        * { box-sizing: border-box; }
        body {
          margin: 0; background: var(--fond); color: var(--texte);
          font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
        }
        .bandeau {
          display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap;
          padding: .6rem 1.5rem; background: #14243b; color: #fff;
        }
        .bandeau h1 { margin: 0; font-size: 1.25rem; }
        .bandeau h1 span { font-weight: 400; opacity: .75; }
        #session { display: flex; align-items: center; gap: .75rem; }
        #session[hidden] { display: none; }
        main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
        .carte {
          background: var(--carte); border: 1px solid var(--bord); border-radius: 8px;
          padding: 1rem 1.25rem 1.25rem; margin-top: 1rem;
        }
        h2 { margin: 0 0 .75rem; font-size: 1.15rem; }
        h3 { margin: 1.25rem 0 .5rem; font-size: 1rem; }
        label { display: flex; flex-direction: column; gap: .25rem; font-weight: 600; font-size: .9rem; }
        input, select, button { font: inherit; }
        input, select {
          padding: .45rem .55rem; border: 1px solid var(--bord); border-radius: 5px; background: #fff;
          min-width: 0; font-weight: 400; height: 2.4rem;
        }
        button {
          padding: .5rem .9rem; border: 1px solid var(--accent); border-radius: 5px; background: #fff;
          color: var(--accent); cursor: pointer; font-weight: 600;
        }
        button:hover:not(:disabled) { background: #eef4fb; }
        button:disabled { opacity: .45; cursor: not-allowed; }
        button.principal, #se-connecter, #rechercher { background: var(--accent); color: #fff; }
        button.principal:hover:not(:disabled), #se-connecter:hover, #rechercher:hover { background: var(--accent-fonce); }
        button.discret { border-color: rgba(255, 255, 255, .5); background: transparent; color: #fff; }
        #form-connexion { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)) auto; gap: .75rem; align-items: end; }
        .ligne-champs { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; }
        .ligne-champs label { min-width: 11rem; }
        .ligne-champs select, .ligne-champs input { width: 15rem; max-width: 100%; }
        input[type="search"] { appearance: none; -webkit-appearance: none; }
        .aide { color: var(--doux); font-size: .88rem; }
        .message { padding: .55rem .75rem; border-radius: 5px; background: var(--erreur-fond); color: var(--erreur); }
        .message.ok { background: var(--ok-fond); color: var(--ok); }
        nav { display: flex; gap: .25rem; margin-top: 1rem; }
        nav[hidden] { display: none; }
        .onglet { border-radius: 5px 5px 0 0; }
        .onglet.actif { background: var(--accent); color: #fff; }
        .depot {
          display: block; margin: 1rem 0; padding: 1.75rem 1rem; border: 2px dashed var(--bord); border-radius: 8px;
          text-align: center; color: var(--doux); font-weight: 400; cursor: pointer;
        }
        .depot.survol { border-color: var(--accent); background: #eef4fb; color: var(--accent); }
        .depot input { position: absolute; width: 1px; height: 1px; opacity: 0; }
        .infos { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: .5rem 0; }
        .infos div { min-width: 9rem; }
        .infos dt { color: var(--doux); font-size: .8rem; }
        .infos dd { margin: 0; font-weight: 600; word-break: break-word; }
        .defile { overflow-x: auto; border: 1px solid var(--bord); border-radius: 5px; }
        table { border-collapse: collapse; width: 100%; font-size: .88rem; }
        th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--bord); vertical-align: top; }
        th { background: #eef0f4; white-space: nowrap; position: sticky; top: 0; }
        tbody tr:last-child td { border-bottom: 0; }
        td.texte {
          font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: pre-wrap;
          overflow-wrap: anywhere; min-width: 12rem;
        }
        td.inconnu { color: var(--erreur); }
        td.raison { color: var(--erreur); }
        #avertissements td.raison { color: var(--avert); }
        #enregistrements td { white-space: nowrap; max-width: 20rem; overflow: hidden; text-overflow: ellipsis; }
        #enregistrements tbody tr { cursor: pointer; }
        #enregistrements tbody tr:hover, #enregistrements tbody tr.choisi { background: #eef4fb; }
        td.vide { color: var(--doux); }
        .actions, .pagination { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0; }
        .pagination .exporter { margin-left: auto; }
        #progression { display: flex; align-items: center; gap: .75rem; margin: 1rem 0; }
        #progression[hidden] { display: none; }
        progress { flex: 1; height: 1rem; }
        pre { background: #f7f8fa; padding: .75rem; border-radius: 5px; overflow-x: auto; font-size: .82rem; }
        details { margin-top: 1rem; }
        summary { cursor: pointer; color: var(--accent); font-weight: 600; }
        [hidden] { display: none !important; }
        @media (max-width: 700px) {
          main { padding: .5rem .6rem 2rem; }
          .bandeau { padding: .5rem .75rem; }
          .carte { padding: .75rem; }
          #form-connexion { grid-template-columns: 1fr; }
          .ligne-champs { flex-direction: column; align-items: stretch; }
          .ligne-champs label { min-width: 0; }
          .ligne-champs select, .ligne-champs input { width: 100%; }
          .actions button, .ligne-champs button { width: 100%; }
          .pagination .exporter { margin-left: 0; width: 100%; }
          th, td { padding: .35rem .45rem; }
        }

        """#
}
