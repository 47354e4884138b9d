extension ConsoleTexts {
    /// The console's behaviour. It calls only the public requests: Gestimum's
    /// `POST /api/rest/<Domaine>/"Importer"` and the read API, whose description
    /// (`/api/comptoir/v1/domaines`) gives each domain's fields. The credentials stay in this
    /// script's memory; data is put in the page as text, never as markup.
    static let script = #"""
        'use strict';
        (() => {
          const API = '/api/comptoir/v1';
          const $ = (id) => document.getElementById(id);
          // `numero` changes at each déconnexion: an answer to a request of an earlier session is
          // dropped, never shown under another société's name.
          const session = { societe: '', utilisateur: '', motPasse: '', domaines: [], numero: 0 };
          let fichier = null;
          const lecture = { filtres: '', curseurs: [null], page: 0, suivant: null, enregistrements: [] };

          // ---- Outils ----

          function montrer(element, texte, ok) {
            element.textContent = texte || '';
            element.hidden = !texte;
            element.classList.toggle('ok', !!ok);
          }

          // Ce qu'une erreur de fetch ou de JSON dit, en français : le navigateur le dit en anglais.
          function raison(erreur) {
            if (erreur instanceof TypeError) return 'le serveur ne répond pas';
            if (erreur instanceof SyntaxError) return 'la réponse du serveur est illisible';
            return erreur.message;
          }

          function element(nom, texte, classe) {
            const e = document.createElement(nom);
            if (texte !== undefined && texte !== null) e.textContent = texte;
            if (classe) e.className = classe;
            return e;
          }

          function ligneTableau(cellules) {
            const tr = document.createElement('tr');
            for (const cellule of cellules) tr.append(cellule instanceof Node ? cellule : element('td', cellule));
            return tr;
          }

          function pluriel(nombre, mot) {
            return nombre.toLocaleString('fr-FR') + ' ' + mot + (nombre > 1 ? 's' : '');
          }

          // HTTP Basic en UTF-8, comme le lit le serveur.
          function autorisation() {
            const octets = new TextEncoder().encode(session.utilisateur + ':' + session.motPasse);
            let binaire = '';
            for (const octet of octets) binaire += String.fromCharCode(octet);
            return 'Basic ' + btoa(binaire);
          }

          // `credentials: 'omit'` : un refus 401 ne fait pas ouvrir au navigateur sa propre fenêtre
          // d'identification.
          function lire(chemin, parametres, accept) {
            const requete = parametres && parametres.toString() ? '?' + parametres : '';
            return fetch(API + chemin + requete, {
              headers: { Authorization: autorisation(), Accept: accept || 'application/json' },
              credentials: 'omit', cache: 'no-store',
            });
          }

          async function erreurDe(reponse) {
            try {
              const corps = await reponse.json();
              if (corps && corps.error) return corps.error;
            } catch (_) { /* pas du JSON : le statut suffit */ }
            return 'Réponse inattendue du serveur (statut ' + reponse.status + ')';
          }

          function cheminSociete() { return '/societes/' + encodeURIComponent(session.societe); }

          // ---- 1. Connexion ----

          $('form-connexion').addEventListener('submit', async (evenement) => {
            evenement.preventDefault();
            const message = $('connexion-message');
            montrer(message, '');
            session.societe = $('societe').value.trim();
            session.utilisateur = $('utilisateur').value.trim();
            session.motPasse = $('mot-passe').value;
            $('se-connecter').disabled = true;
            try {
              const reponse = await lire(cheminSociete());
              if (!reponse.ok) {
                montrer(message, await erreurDe(reponse));
                oublier();
                return;
              }
              const societe = await reponse.json();
              const domaines = await fetch(API + '/domaines', { credentials: 'omit' });
              if (!domaines.ok) throw new Error(await erreurDe(domaines));
              session.domaines = (await domaines.json()).domaines;
              $('mot-passe').value = '';
              $('session-nom').textContent = societe.utilisateur + ' · ' + societe.societe;
              $('session').hidden = false;
              $('connexion').hidden = true;
              $('onglets').hidden = false;
              remplirDomaines();
              ouvrir('importer');
            } catch (erreur) {
              montrer(message, 'Connexion impossible : ' + raison(erreur));
              oublier();
            } finally {
              $('se-connecter').disabled = false;
            }
          });

          function oublier() {
            session.societe = session.utilisateur = session.motPasse = '';
          }

          $('deconnexion').addEventListener('click', () => {
            oublier();
            session.numero += 1;
            session.domaines = [];
            fichier = null;
            Object.assign(lecture, { curseurs: [null], page: 0, suivant: null, enregistrements: [], charge: false });
            lecture.demande = (lecture.demande || 0) + 1;
            $('recherche-texte').value = '';
            $('session').hidden = true;
            $('onglets').hidden = true;
            $('importer').hidden = true;
            $('consulter').hidden = true;
            $('fichier-infos').hidden = true;
            $('resultat').hidden = true;
            $('enregistrements').tHead.replaceChildren();
            $('enregistrements').tBodies[0].replaceChildren();
            $('fiche').hidden = true;
            $('connexion').hidden = false;
          });

          function ouvrir(onglet) {
            for (const nom of ['importer', 'consulter']) {
              $(nom).hidden = nom !== onglet;
              $('onglet-' + nom).classList.toggle('actif', nom === onglet);
            }
            if (onglet === 'consulter' && !lecture.charge) nouvelleRecherche();
          }
          $('onglet-importer').addEventListener('click', () => ouvrir('importer'));
          $('onglet-consulter').addEventListener('click', () => ouvrir('consulter'));

          function remplirDomaines() {
            // Les écritures se lisent selon un format, pas par noms de colonnes : la console ne
            // les importe pas, mais les montre.
            const importables = session.domaines.filter((d) => !d.format);
            $('import-domaine').replaceChildren(...importables.map((d) => new Option(d.nom, d.nom)));
            $('lecture-domaine').replaceChildren(...session.domaines.map((d) => new Option(d.nom, d.nom)));
            lecture.charge = false;
            domaineImportChoisi();
            champsDeRecherche();
          }

          function domaine(nom) { return session.domaines.find((d) => d.nom === nom); }

          // ---- 2. Fichier : encodage, séparateur, colonnes ----

          const SEPARATEURS = [
            [';', 'point-virgule (;)'], ['\t', 'tabulation'], [',', 'virgule (,)'], ['|', 'barre verticale (|)'],
          ];

          function decoder(tampon) {
            let octets = new Uint8Array(tampon);
            const bom = octets.length >= 3 && octets[0] === 0xEF && octets[1] === 0xBB && octets[2] === 0xBF;
            if (bom) octets = octets.subarray(3);
            try {
              return { texte: new TextDecoder('utf-8', { fatal: true }).decode(octets),
                encodage: bom ? 'UTF-8 (avec BOM)' : 'UTF-8' };
            } catch (_) {
              return { texte: new TextDecoder('windows-1252').decode(octets), encodage: 'Windows-1252' };
            }
          }

          function compter(ligne, separateur) {
            let nombre = 0;
            let entreGuillemets = false;
            for (const c of ligne) {
              if (c === '"') entreGuillemets = !entreGuillemets;
              else if (c === separateur && !entreGuillemets) nombre++;
            }
            return nombre;
          }

          // Le séparateur que l'en-tête contient et que les lignes suivantes répètent le plus
          // régulièrement ; à égalité, le premier de la liste.
          function separateurDe(lignes) {
            const echantillon = lignes.slice(0, 50).filter((l) => l !== '');
            let choisi = ';';
            let meilleur = 0;
            for (const [separateur] of SEPARATEURS) {
              const comptes = echantillon.map((l) => compter(l, separateur));
              if (comptes[0] === 0) continue;
              const score = comptes[0] * comptes.filter((n) => n === comptes[0]).length / comptes.length;
              if (score > meilleur) { meilleur = score; choisi = separateur; }
            }
            return choisi;
          }

          function decouper(ligne, separateur, qualificatif) {
            if (!qualificatif) return ligne.split(separateur);
            const champs = [];
            let champ = '';
            let dedans = false;
            for (let i = 0; i < ligne.length; i++) {
              const c = ligne[i];
              if (dedans) {
                if (c !== qualificatif) champ += c;
                else if (ligne[i + 1] === qualificatif) { champ += c; i++; }
                else dedans = false;
              } else if (c === qualificatif && champ === '') {
                dedans = true;
              } else if (c === separateur) {
                champs.push(champ);
                champ = '';
              } else {
                champ += c;
              }
            }
            champs.push(champ);
            return champs;
          }

          // Les lignes d'un fichier dont les textes sont entre guillemets : ses fins de ligne hors
          // des guillemets, car un texte peut en contenir (l'export CSV en écrit). Un guillemet
          // n'ouvre un texte qu'en tête de champ, comme le serveur le lit.
          function lignesDe(texte, separateur) {
            const lignes = [];
            let debut = 0;
            let enTete = true;
            let dedans = false;
            for (let i = 0; i < texte.length; i++) {
              const c = texte[i];
              if (dedans) {
                if (c === '"' && texte[i + 1] === '"') i++;
                else if (c === '"') dedans = false;
              } else if (c === '\n' || c === '\r') {
                lignes.push(texte.slice(debut, i));
                if (c === '\r' && texte[i + 1] === '\n') i++;
                debut = i + 1;
                enTete = true;
              } else if (c === separateur) {
                enTete = true;
              } else if (c === '"' && enTete) {
                dedans = true;
              } else if (c !== ' ' && c !== '\t') {
                enTete = false;
              }
            }
            lignes.push(texte.slice(debut));
            return lignes;
          }

          async function prendre(fichierChoisi) {
            if (!fichierChoisi) return;
            montrer($('import-message'), '');
            $('resultat').hidden = true;
            const { texte: brut, encodage } = decoder(await fichierChoisi.arrayBuffer());
            const texte = brut.replace(/^\uFEFF/, '');
            const physiques = texte.split(/\r\n|\n|\r/);
            const separateur = separateurDe(physiques);
            const entreGuillemets = physiques.some((l) => l.split(separateur).some((c) => c.trimStart().startsWith('"')));
            const lignes = entreGuillemets ? lignesDe(texte, separateur) : physiques;
            while (lignes.length && lignes[lignes.length - 1] === '') lignes.pop();
            if (lignes.length === 0) {
              montrer($('import-message'), 'Le fichier ' + fichierChoisi.name + ' est vide.');
              $('fichier-infos').hidden = true;
              fichier = null;
              return;
            }
            fichier = { nom: fichierChoisi.name, taille: fichierChoisi.size, encodage, separateur,
              qualificatif: entreGuillemets ? '"' : '', lignes };
            $('info-nom').textContent = fichier.nom + ' (' + taille(fichier.taille) + ')';
            $('info-encodage').textContent = encodage;
            $('info-separateur').textContent = SEPARATEURS.find(([s]) => s === separateur)[1]
              + (fichier.qualificatif ? ', textes entre guillemets' : '');
            $('info-lignes').textContent = (lignes.length - 1).toLocaleString('fr-FR');
            $('depot-texte').textContent = fichier.nom + ' : déposez un autre fichier pour le remplacer.';
            $('fichier-infos').hidden = false;
            correspondance();
          }

          function taille(octets) {
            if (octets < 1024) return pluriel(octets, 'octet');
            if (octets < 1024 * 1024) return (octets / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 }) + ' Kio';
            return (octets / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 }) + ' Mio';
          }

          // Chaque colonne de l'en-tête face au champ du catalogue du domaine qui porte son nom.
          function correspondance() {
            const corps = $('correspondance').tBodies[0];
            corps.replaceChildren();
            const choisi = domaine($('import-domaine').value);
            if (!fichier || !choisi) return;
            const noms = decouper(fichier.lignes[0], fichier.separateur, fichier.qualificatif).map((n) => n.trim());
            const exemple = fichier.lignes.length > 1
              ? decouper(fichier.lignes[1], fichier.separateur, fichier.qualificatif) : [];
            const champs = new Map(choisi.champs.map((c) => [c.nom.toUpperCase(), c]));
            const vus = new Set();
            noms.forEach((nom, index) => {
              let cible;
              const champ = champs.get(nom.toUpperCase());
              if (nom === '') cible = element('td', 'sans nom : colonne ignorée', 'inconnu');
              else if (vus.has(nom.toUpperCase())) cible = element('td', 'en double : le serveur refusera le fichier', 'inconnu');
              else if (champ) cible = element('td', champ.nom + ' — ' + champ.libelle + (champ.obligatoire ? ' (obligatoire)' : ''));
              else if (nom.toUpperCase().startsWith('XXX_')) cible = element('td', nom.toUpperCase() + ' — champ personnalisé');
              else cible = element('td', 'non reconnue : colonne ignorée', 'inconnu');
              vus.add(nom.toUpperCase());
              corps.append(ligneTableau([String(index + 1), nom, cible, exemple[index] || '']));
            });
            const manquants = choisi.champs.filter((c) => c.obligatoire && !vus.has(c.nom.toUpperCase()));
            const note = [];
            if (manquants.length) {
              note.push('Champs obligatoires absents du fichier : ' + manquants.map((c) => c.nom).join(', ') + '.');
            }
            if (!choisi.tester) {
              note.push('Le domaine ' + choisi.nom + ' n\'accepte pas tester=Oui (Gestimum ne le propose pas pour '
                + 'lui) : seul l\'import réel est possible, et il n\'enregistre que les lignes acceptées.');
            }
            montrer($('tester-note'), note.join(' '));
            $('tester').disabled = !choisi.tester;
          }

          function domaineImportChoisi() {
            const choisi = domaine($('import-domaine').value);
            montrer($('import-domaine-note'), choisi
              ? 'Champs du catalogue : ' + choisi.champs.length + '. Clé : ' + choisi.cle.join(', ') + '.' : '');
            correspondance();
          }
          $('import-domaine').addEventListener('change', () => {
            $('resultat').hidden = true;
            domaineImportChoisi();
          });

          const depot = $('depot');
          $('fichier').addEventListener('change', (e) => prendre(e.target.files[0]));
          depot.addEventListener('keydown', (e) => {
            if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); $('fichier').click(); }
          });
          depot.addEventListener('dragover', (e) => { e.preventDefault(); depot.classList.add('survol'); });
          depot.addEventListener('dragleave', () => depot.classList.remove('survol'));
          depot.addEventListener('drop', (e) => {
            e.preventDefault();
            depot.classList.remove('survol');
            prendre(e.dataTransfer.files[0]);
          });

          // ---- 3 et 4. Test et import : une seule requête, pour que l'import reste entier ----

          function progression(pourcentage, texte) {
            $('progression').hidden = false;
            if (pourcentage === null) $('barre').removeAttribute('value');
            else $('barre').value = pourcentage;
            $('progression-texte').textContent = texte;
          }

          function envoyer(choisi, corps) {
            return new Promise((resolve, reject) => {
              const xhr = new XMLHttpRequest();
              xhr.open('POST', '/api/rest/' + encodeURIComponent(choisi.nom) + '/%22Importer%22');
              xhr.setRequestHeader('Content-Type', 'application/json');
              xhr.upload.addEventListener('progress', (e) => {
                if (!e.lengthComputable) return;
                const part = Math.round(e.loaded / e.total * 100);
                progression(part, 'Envoi du fichier : ' + part + ' %');
              });
              xhr.upload.addEventListener('load', () => progression(null, 'Traitement en cours…'));
              xhr.addEventListener('load', () => resolve({ statut: xhr.status, texte: xhr.responseText }));
              xhr.addEventListener('error', () => reject(new Error('la connexion au serveur a été interrompue')));
              progression(0, 'Envoi du fichier : 0 %');
              xhr.send(corps);
            });
          }

          async function lancer(tester) {
            const choisi = domaine($('import-domaine').value);
            if (!fichier || !choisi) return;
            const parametres = {
              journal: 'Oui', statistiques: 'Oui', entete: 'Oui', noms_champs: '',
              separateur_champs: fichier.separateur, identificateur_texte: fichier.qualificatif,
            };
            if (tester) parametres.tester = 'Oui';
            parametres[choisi.requete.lignes] = fichier.lignes;
            const corps = JSON.stringify({ [choisi.requete.racine]: {
              societe: { fichier: session.societe, utilisateur: session.utilisateur, mot_passe: session.motPasse,
                deconnecter: 'Non', exclusif: 'Non' },
              parametres,
            } });
            for (const bouton of ['tester', 'importer-vraiment', 'import-domaine']) $(bouton).disabled = true;
            montrer($('import-message'), '');
            $('resultat').hidden = true;
            const numero = session.numero;
            try {
              const { statut, texte } = await envoyer(choisi, corps);
              if (numero !== session.numero) return;
              $('progression').hidden = true;
              let reponse;
              try { reponse = JSON.parse(texte); } catch (_) { reponse = null; }
              if (statut !== 200 || !reponse || !reponse.result) {
                montrer($('import-message'), (reponse && reponse.error) || 'Réponse inattendue du serveur (statut ' + statut + ')');
                return;
              }
              resultat(reponse.result[0], tester);
            } catch (erreur) {
              $('progression').hidden = true;
              if (numero !== session.numero) return;
              montrer($('import-message'), 'Import impossible : ' + raison(erreur));
            } finally {
              $('importer-vraiment').disabled = false;
              $('import-domaine').disabled = false;
              $('tester').disabled = !choisi.tester;
            }
          }
          $('tester').addEventListener('click', () => lancer(true));
          $('importer-vraiment').addEventListener('click', () => lancer(false));

          const HORODATAGE = /^\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d /;

          // Le journal de Gestimum : « La ligne N n'a pas pu être importée : » puis une raison par
          // ligne, jusqu'à l'entrée suivante, une annonce ou la fin de la tâche. N compte les lignes
          // de données.
          function analyser(journal) {
            const rejets = [];
            const avertissements = [];
            let entree = null;
            for (const brute of journal) {
              const texte = brute.replace(HORODATAGE, '');
              let trouve;
              if ((trouve = /^La ligne (\d+) n'a pas pu être importée :$/.exec(texte))) {
                entree = { ligne: Number(trouve[1]), messages: [] };
                rejets.push(entree);
              } else if ((trouve = /^La ligne (\d+) comporte les avertissements suivants :$/.exec(texte))) {
                entree = { ligne: Number(trouve[1]), messages: [] };
                avertissements.push(entree);
              } else if (/^Tâche \S+ terminée$|^Fermeture de la société | a été créée?$/.test(texte)) {
                // La fin de la tâche, ou l'annonce d'une pièce ou d'une affaire créée, qui ne
                // suit jamais la ligne d'avant.
                entree = null;
              } else if (entree) {
                entree.messages.push(texte);
              }
            }
            return { rejets, avertissements };
          }

          function remplirEntrees(table, entrees) {
            const corps = table.tBodies[0];
            corps.replaceChildren(...entrees.map((entree) => {
              const messages = element('td', null, 'raison');
              for (const message of entree.messages) messages.append(element('div', message));
              const texte = fichier && fichier.lignes[entree.ligne] !== undefined ? fichier.lignes[entree.ligne] : '';
              return ligneTableau([String(entree.ligne), element('td', texte, 'texte'), messages]);
            }));
          }

          function resultat(reponse, tester) {
            const journal = reponse.journal || [];
            const statistiques = reponse.statistiques || {};
            const importees = Number(statistiques['nombre_lignes_importées'] || 0);
            const rejetees = Number(statistiques['nombre_lignes_non_importées'] || 0);
            const { rejets, avertissements } = analyser(journal);
            $('resultat-titre').textContent = tester
              ? 'Test terminé (tester=Oui) : rien n\'a été enregistré'
              : 'Import terminé';
            $('resultat-compte').textContent = tester
              ? pluriel(importees, 'ligne') + ' ' + (importees > 1 ? 'seraient importées' : 'serait importée')
                + ', ' + pluriel(rejetees, 'ligne') + ' ' + (rejetees > 1 ? 'rejetées' : 'rejetée') + '.'
              : pluriel(importees, 'ligne') + ' ' + (importees > 1 ? 'importées' : 'importée')
                + ', ' + pluriel(rejetees, 'ligne') + ' non ' + (rejetees > 1 ? 'importées' : 'importée') + '.';
            remplirEntrees($('rejets'), rejets);
            remplirEntrees($('avertissements'), avertissements);
            $('rejets-bloc').hidden = rejets.length === 0;
            $('avertissements-bloc').hidden = avertissements.length === 0;
            $('journal').textContent = journal.join('\n');
            $('resultat').hidden = false;
            if (!tester) lecture.charge = false;
          }

          // ---- 5. Consultation, page par page ----

          function domaineLu() { return domaine($('lecture-domaine').value); }

          function champsDeRecherche() {
            const choisi = domaineLu();
            if (!choisi) return;
            const libelles = new Map(choisi.champs.map((c) => [c.nom, c.libelle]));
            // La recherche est un « commence par », que seuls les textes et les dates prennent.
            const colonnes = choisi.colonnes.filter((c) => ['texte', 'date', 'dateheure'].includes(c.type));
            $('recherche-champ').replaceChildren(...colonnes.map((c) =>
              new Option(libelles.has(c.nom) ? c.nom + ' — ' + libelles.get(c.nom) : c.nom, c.nom)));
            $('recherche-champ').value = choisi.cle[0];
          }

          function filtres() {
            const parametres = new URLSearchParams();
            const texte = $('recherche-texte').value;
            if (texte) parametres.set($('recherche-champ').value + '.debut', texte);
            return parametres;
          }

          // La recherche lancée, gardée pour ses pages et son export : la zone de recherche
          // peut changer entre-temps sans changer la liste affichée.
          function nouvelleRecherche() {
            lecture.filtres = filtres().toString();
            lecture.curseurs = [null];
            lecture.page = 0;
            chargerPage();
          }

          async function chargerPage() {
            const choisi = domaineLu();
            if (!choisi) return;
            const message = $('lecture-message');
            montrer(message, '');
            const parametres = new URLSearchParams(lecture.filtres);
            parametres.set('limite', $('limite').value);
            const curseur = lecture.curseurs[lecture.page];
            if (curseur) parametres.set('apres', curseur);
            // Seule la dernière page demandée s'affiche, quel que soit l'ordre des réponses.
            const demande = lecture.demande = (lecture.demande || 0) + 1;
            try {
              const reponse = await lire(cheminSociete() + '/' + encodeURIComponent(choisi.nom), parametres);
              if (demande !== lecture.demande) return;
              if (!reponse.ok) {
                montrer(message, await erreurDe(reponse));
                return;
              }
              const page = await exact(reponse);
              if (demande !== lecture.demande) return;
              lecture.charge = true;
              lecture.suivant = page.suivant;
              lecture.enregistrements = page.enregistrements;
              afficherPage(choisi);
            } catch (erreur) {
              if (demande === lecture.demande) montrer(message, 'Lecture impossible : ' + raison(erreur));
            }
          }

          // Les nombres tels que le serveur les écrit : un montant de 20 chiffres passerait par
          // un flottant de JavaScript, qui en perd (le texte source, quand le navigateur le donne).
          async function exact(reponse) {
            return JSON.parse(await reponse.text(),
              (_, v, contexte) => (typeof v === 'number' && contexte && contexte.source) ? contexte.source : v);
          }

          function valeur(v, type) {
            if (v === null || v === undefined) return '';
            if (typeof v === 'boolean') return v ? 'Oui' : 'Non';
            if (type === 'decimal') return String(v).replace('.', ',');
            return String(v);
          }

          function cellule(v, type) {
            const texte = valeur(v, type);
            return texte === '' ? element('td', '—', 'vide') : element('td', texte);
          }

          // La clé, puis les premières colonnes que la page renseigne (une case cochée compte,
          // une case vide non) : la fiche d'un enregistrement montre le reste.
          function colonnesMontrees(choisi, enregistrements) {
            const cle = choisi.colonnes.filter((c) => choisi.cle.includes(c.nom));
            const autres = choisi.colonnes.filter((c) => !choisi.cle.includes(c.nom)
              && enregistrements.some((e) => e[c.nom] !== null && e[c.nom] !== undefined && e[c.nom] !== false));
            return cle.concat(autres.slice(0, 7));
          }

          function afficherPage(choisi) {
            const enregistrements = lecture.enregistrements;
            const colonnes = colonnesMontrees(choisi, enregistrements);
            const libelles = new Map(choisi.champs.map((c) => [c.nom, c.libelle]));
            const table = $('enregistrements');
            const entete = document.createElement('tr');
            for (const c of colonnes) {
              const th = element('th', c.nom);
              if (libelles.has(c.nom)) th.title = libelles.get(c.nom);
              entete.append(th);
            }
            for (const enfant of choisi.enfants) entete.append(element('th', enfant.nom));
            table.tHead.replaceChildren(entete);
            table.tBodies[0].replaceChildren(...enregistrements.map((enregistrement, index) => {
              const tr = ligneTableau(colonnes.map((c) => cellule(enregistrement[c.nom], c.type)));
              for (const enfant of choisi.enfants) tr.append(element('td', String((enregistrement[enfant.nom] || []).length)));
              tr.addEventListener('click', () => fiche(choisi, index, tr));
              return tr;
            }));
            if (enregistrements.length === 0) {
              const vide = element('td', 'Aucun enregistrement.', 'vide');
              vide.colSpan = colonnes.length + choisi.enfants.length;
              table.tBodies[0].append(ligneTableau([vide]));
            }
            $('page-numero').textContent = 'Page ' + (lecture.page + 1) + ' · '
              + pluriel(enregistrements.length, 'enregistrement');
            $('page-precedente').disabled = lecture.page === 0;
            $('page-suivante').disabled = !lecture.suivant;
            $('fiche').hidden = true;
          }

          function fiche(choisi, index, tr) {
            const enregistrement = lecture.enregistrements[index];
            for (const autre of tr.parentNode.children) autre.classList.toggle('choisi', autre === tr);
            const libelles = new Map(choisi.champs.map((c) => [c.nom, c.libelle]));
            $('fiche-titre').textContent = choisi.nom + ' ' + choisi.cle.map((c) => enregistrement[c]).join(' / ');
            // Les champs personnalisés qu'un import a ajoutés à la table viennent avec la fiche.
            const connues = new Set(choisi.colonnes.map((c) => c.nom));
            const personnalises = Object.keys(enregistrement)
              .filter((nom) => nom.startsWith('XXX_') && !connues.has(nom)).map((nom) => ({ nom, type: 'texte' }));
            $('fiche-champs').replaceChildren(...choisi.colonnes.concat(personnalises)
              .filter((c) => enregistrement[c.nom] !== null && enregistrement[c.nom] !== undefined)
              .map((c) => {
                const bloc = document.createElement('div');
                bloc.append(element('dt', libelles.has(c.nom) ? c.nom + ' — ' + libelles.get(c.nom) : c.nom),
                  element('dd', valeur(enregistrement[c.nom], c.type)));
                return bloc;
              }));
            $('fiche-enfants').replaceChildren(...choisi.enfants.map((enfant) => {
              const lignes = enregistrement[enfant.nom] || [];
              const colonnes = enfant.colonnes.filter((c) => lignes.some((l) => l[c.nom] !== null && l[c.nom] !== undefined));
              const bloc = document.createElement('div');
              bloc.append(element('h3', enfant.nom + ' (' + lignes.length + ')'));
              const table = document.createElement('table');
              table.createTHead().append(ligneTableau(colonnes.map((c) => element('th', c.nom))));
              table.createTBody().append(...lignes.map((l) => ligneTableau(colonnes.map((c) => cellule(l[c.nom], c.type)))));
              const defile = element('div', null, 'defile');
              defile.append(table);
              bloc.append(defile);
              return bloc;
            }));
            $('fiche').hidden = false;
          }

          $('form-recherche').addEventListener('submit', (e) => { e.preventDefault(); nouvelleRecherche(); });
          $('lecture-domaine').addEventListener('change', () => {
            $('recherche-texte').value = '';
            champsDeRecherche();
            nouvelleRecherche();
          });
          $('limite').addEventListener('change', nouvelleRecherche);
          $('page-suivante').addEventListener('click', () => {
            if (!lecture.suivant) return;
            lecture.curseurs[lecture.page + 1] = lecture.suivant;
            lecture.page++;
            chargerPage();
          });
          $('page-precedente').addEventListener('click', () => {
            if (lecture.page === 0) return;
            lecture.page--;
            chargerPage();
          });

          // ---- 6. Export CSV : toute la liste filtrée, page après page du serveur ----

          // Les enregistrements d'un CSV : ses fins de ligne hors des guillemets, car un champ
          // entre guillemets peut en contenir.
          function enregistrementsCSV(morceaux) {
            let nombre = 0;
            let entreGuillemets = false;
            let vide = true;
            for (const texte of morceaux) {
              for (let i = 0; i < texte.length; i++) {
                const c = texte.charCodeAt(i);
                if (c === 34) entreGuillemets = !entreGuillemets;
                if (c === 10 && !entreGuillemets) {
                  if (!vide) nombre++;
                  vide = true;
                } else if (c !== 13) {
                  vide = false;
                }
              }
            }
            return vide ? nombre : nombre + 1;
          }

          $('exporter').addEventListener('click', async () => {
            const choisi = domaineLu();
            if (!choisi) return;
            const message = $('lecture-message');
            montrer(message, '');
            $('exporter').disabled = true;
            const numero = session.numero;
            try {
              const parametres = new URLSearchParams(lecture.filtres);
              parametres.set('limite', '1000000');
              const morceaux = [];
              let suivant = null;
              do {
                if (suivant) parametres.set('apres', suivant);
                const reponse = await lire(cheminSociete() + '/' + encodeURIComponent(choisi.nom), parametres, 'text/csv');
                if (!reponse.ok) {
                  montrer(message, await erreurDe(reponse));
                  return;
                }
                // Le BOM est retiré au décodage ; l'en-tête n'est gardé qu'une fois.
                const texte = await reponse.text();
                morceaux.push(morceaux.length ? texte.slice(texte.indexOf('\n') + 1) : texte);
                suivant = reponse.headers.get('X-Comptoir-Suivant');
              } while (suivant && numero === session.numero);
              if (numero !== session.numero) return;
              const nom = choisi.nom + '-' + session.societe.replace(/[^A-Za-z0-9_.-]/g, '_') + '.csv';
              const lien = document.createElement('a');
              lien.href = URL.createObjectURL(new Blob(['\uFEFF', ...morceaux], { type: 'text/csv;charset=utf-8' }));
              lien.download = nom;
              document.body.append(lien);
              lien.click();
              lien.remove();
              setTimeout(() => URL.revokeObjectURL(lien.href), 60000);
              const lignes = enregistrementsCSV(morceaux) - 1;
              montrer(message, 'Export enregistré : ' + nom + ' (' + pluriel(lignes, 'ligne') + ').', true);
            } catch (erreur) {
              montrer(message, 'Export impossible : ' + raison(erreur));
            } finally {
              $('exporter').disabled = false;
            }
          });
        })();

        """#
}
