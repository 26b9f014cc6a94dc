<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../cli.py" line="65" />
        <source>'{}' is not a date; write YYYY-MM-DD, e.g. 2026-10-01</source>
        <translation>'{}' is geen datum; gebruik de vorm JJJJ-MM-DD, bijvoorbeeld 2026-10-01</translation>
    </message>
    <message>
        <location filename="../cli.py" line="81" />
        <source>{} does not have the Basisset fields. Missing: {}.</source>
        <translation>{} heeft niet de velden van de Basisset. Ontbrekende velden: {}.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="83" />
        <source>Shapefile field names are at most 10 characters, too short for the Basisset: use a GeoPackage (python -m lmvw_plugin new).</source>
        <translation>Veldnamen in een shapefile zijn maximaal 10 tekens lang, te kort voor de Basisset: gebruik een GeoPackage (python -m lmvw_plugin new).</translation>
    </message>
    <message>
        <location filename="../cli.py" line="86" />
        <source>Create a plan layer with 'python -m lmvw_plugin new' or add the missing fields.</source>
        <translation>Maak een planlaag met 'python -m lmvw_plugin new' of voeg de ontbrekende velden toe.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="95" />
        <source>Cannot read {}: {}</source>
        <translation>Kan {} niet lezen: {}</translation>
    </message>
    <message>
        <source>Note: {} geometries were TINs or polyhedral surfaces; they were read as multipolygons.</source>
        <translation>Let op: {} geometrieën waren TIN's of veelvlakken; ze zijn als multipolygonen gelezen.</translation>
    </message>
    <message>
        <source>Note: {} geometries are damaged and cannot be read; they count as missing (G01): draw them again.</source>
        <translation>Let op: {} geometrieën zijn beschadigd en niet te lezen; ze tellen als ontbrekend (G01): teken ze opnieuw.</translation>
    </message>
    <message>
        <source>{} is a folder, not a file: give the GeoPackage with the plan layer.</source>
        <translation>{} is een map, geen bestand: geef de GeoPackage met de planlaag.</translation>
    </message>
    <message>
        <source>{} is not a regular file (a pipe or a device): copy the data to a GeoPackage and give that file.</source>
        <translation>{} is geen gewoon bestand (een pipe of een apparaat): kopieer de gegevens naar een GeoPackage en geef dat bestand.</translation>
    </message>
    <message>
        <source>Layer '{}' of {} has several features with the same feature id (a view?): give a table, or a view with a unique id.</source>
        <translation>Laag '{}' van {} heeft meerdere objecten met hetzelfde object-id (een view?): geef een tabel, of een view met een uniek id.</translation>
    </message>
    <message>
        <source>{} is in {}, which cannot be transformed to EPSG:28992 (RD New): reproject the layer to EPSG:28992 first (in QGIS: Export ▸ Save Features As).</source>
        <translation>{} is in {}, dat niet naar EPSG:28992 (RD New) te transformeren is: projecteer de laag eerst naar EPSG:28992 (in QGIS: Exporteren ▸ Objecten opslaan als).</translation>
    </message>
    <message>
        <source>The coordinates of {} do not fit its CRS {} (RD coordinates labelled as degrees?): set the layer's right CRS, e.g. EPSG:28992.</source>
        <translation>De coördinaten van {} passen niet bij het coördinatenstelsel {} (RD-coördinaten als graden aangeduid?): stel het juiste stelsel van de laag in, bijvoorbeeld EPSG:28992.</translation>
    </message>
    <message>
        <source>the file is damaged or not a GeoPackage; check that it is the right file, or restore it from a backup</source>
        <translation>het bestand is beschadigd of geen GeoPackage; controleer of het het juiste bestand is, of zet het terug uit een reservekopie</translation>
    </message>
    <message>
        <source>Note: {} has no coordinate reference system; the coordinates are taken as EPSG:28992 (RD New).</source>
        <translation>Let op: {} heeft geen coördinatenstelsel; de coördinaten worden als EPSG:28992 (RD New) gelezen.</translation>
    </message>
    <message>
        <source>Note: {} curved geometries were linearised (the delivery holds polygons).</source>
        <translation>Let op: {} gebogen geometrieën zijn omgezet in rechte lijnstukken (de levering bevat polygonen).</translation>
    </message>
    <message>
        <source>Note: {} geometries had Z or M values; they were dropped (the delivery is 2D).</source>
        <translation>Let op: {} geometrieën hadden Z- of M-waarden; die zijn weggelaten (de levering is 2D).</translation>
    </message>
    <message>
        <source>{} is damaged ({}): restore it from a backup, or open it in QGIS and save the layers to a new GeoPackage.</source>
        <translation>{} is beschadigd ({}): zet het terug uit een reservekopie, of open het in QGIS en sla de lagen op in een nieuwe GeoPackage.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="98" />
        <source>Note: {} is in EPSG:{}; the geometries were transformed to EPSG:28992 (RD New).</source>
        <translation>Let op: {} staat in EPSG:{}; de geometrieën zijn getransformeerd naar EPSG:28992 (RD New).</translation>
    </message>
    <message>
        <location filename="../cli.py" line="105" />
        <source>{} plans: {} errors, {} warnings (peildatum {})</source>
        <translation>{} plannen: {} fouten, {} waarschuwingen (peildatum {})</translation>
    </message>
    <message>
        <location filename="../cli.py" line="122" />
        <source>… and {} more findings (write them all with --json FILE).</source>
        <translation>… en nog {} bevindingen (schrijf ze allemaal weg met --json FILE).</translation>
    </message>
    <message>
        <location filename="../cli.py" line="132" />
        <source>'{}' is not a gemeentecode: write GM followed by 4 digits, e.g. GM0344 (Utrecht).</source>
        <translation>'{}' is geen gemeentecode: schrijf GM gevolgd door 4 cijfers, bijvoorbeeld GM0344 (Utrecht).</translation>
    </message>
    <message>
        <location filename="../cli.py" line="139" />
        <source>{} already exists: choose another name or remove the file first (nothing was changed).</source>
        <translation>{} bestaat al: kies een andere naam of verwijder eerst het bestand (er is niets gewijzigd).</translation>
    </message>
    <message>
        <location filename="../messages.py" line="28" />
        <source>The folder {} does not exist: create it or choose another place.</source>
        <translation>De map {} bestaat niet: maak de map aan of kies een andere locatie.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="29" />
        <source>Cannot write in {}: choose a folder where you may write.</source>
        <translation>Kan niet schrijven in {}: kies een map waarin u mag schrijven.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="160" />
        <source>Could not create {}: {}</source>
        <translation>Kan {} niet aanmaken: {}</translation>
    </message>
    <message>
        <location filename="../cli.py" line="156" />
        <source>Created {} for {} ({}): layer '{}' with the form and style, table '{}'.</source>
        <translation>{} aangemaakt voor {} ({}): laag '{}' met het formulier en de stijl, tabel '{}'.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="169" />
        <source>Validation of {}</source>
        <translation>Validatie van {}</translation>
    </message>
    <message>
        <location filename="../cli.py" line="176" />
        <source>Cannot write {}: {}</source>
        <translation>Kan {} niet schrijven: {}</translation>
    </message>
    <message>
        <location filename="../cli.py" line="178" />
        <source>Findings written to {}</source>
        <translation>Bevindingen opgeslagen in {}</translation>
    </message>
    <message>
        <location filename="../cli.py" line="188" />
        <source>Fix the errors, or deliberately make a concept delivery with --concept.</source>
        <translation>Herstel de fouten, of maak bewust een conceptlevering met --concept.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="24" />
        <source>'{}' is not an uitvraag: write the year and voorjaar or najaar, e.g. 2026-najaar.</source>
        <translation>'{}' is geen uitvraag: schrijf het jaar en voorjaar of najaar, bijvoorbeeld 2026-najaar.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="27" />
        <source>'{}' is not a gemeentecode: write GM followed by 4 digits, e.g. GM0344.</source>
        <translation>'{}' is geen gemeentecode: schrijf GM gevolgd door 4 cijfers, bijvoorbeeld GM0344.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="31" />
        <source>The disk of {} is full: make room or choose another place. Nothing was written.</source>
        <translation>De schijf van {} is vol: maak ruimte vrij of kies een andere locatie. Er is niets geschreven.</translation>
    </message>
    <message>
        <location filename="../messages.py" line="32" />
        <source>Writing the package failed: {}. Nothing was written.</source>
        <translation>Het schrijven van het pakket is mislukt: {}. Er is niets geschreven.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="249" />
        <source>Package written: {}</source>
        <translation>Pakket geschreven: {}</translation>
    </message>
    <message>
        <location filename="../demomake.py" line="68" />
        <source>{} plans delivered ({} hard, {} soft); bruto {}, netto {}, rest {}.</source>
        <translation>{} plannen geleverd ({} hard, {} zacht); bruto {}, netto {}, rest {}.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="223" />
        <source>{} confidential plans left out (only their totals are in the manifest).</source>
        <translation>{} vertrouwelijke plannen weggelaten (alleen hun totalen staan in het manifest).</translation>
    </message>
    <message>
        <location filename="../cli.py" line="226" />
        <source>{} plans with status 5A/5B are not delivered.</source>
        <translation>{} plannen met planstatus 5A/5B worden niet geleverd.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="228" />
        <source>Validation: {} errors, {} warnings.</source>
        <translation>Validatie: {} fouten, {} waarschuwingen.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="230" />
        <source>This is a CONCEPT delivery (it contains errors).</source>
        <translation>Dit is een CONCEPT-levering (deze bevat fouten).</translation>
    </message>
    <message>
        <location filename="../cli.py" line="238" />
        <source>Cannot read {}: the file does not exist.</source>
        <translation>Kan {} niet lezen: het bestand bestaat niet.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="242" />
        <source>Cannot read {} as a zip: {}</source>
        <translation>Kan {} niet als zipbestand lezen: {}</translation>
    </message>
    <message>
        <location filename="../cli.py" line="246" />
        <source>Package {}: {} ({}), uitvraag {}, peildatum {}, profile {}{}.</source>
        <translation>Pakket {}: {} ({}), uitvraag {}, peildatum {}, profiel {}{}.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="276" />
        <source>, CONCEPT</source>
        <translation>, CONCEPT</translation>
    </message>
    <message>
        <location filename="../cli.py" line="249" />
        <source>missing</source>
        <translation>ontbreekt</translation>
    </message>
    <message>
        <location filename="../cli.py" line="249" />
        <source>not in the manifest</source>
        <translation>niet in het manifest</translation>
    </message>
    <message>
        <location filename="../cli.py" line="249" />
        <source>size differs</source>
        <translation>grootte wijkt af</translation>
    </message>
    <message>
        <location filename="../cli.py" line="250" />
        <source>checksum differs (changed after export)</source>
        <translation>controlesom wijkt af (gewijzigd na de export)</translation>
    </message>
    <message>
        <location filename="../cli.py" line="250" />
        <source>manifest problem</source>
        <translation>probleem met het manifest</translation>
    </message>
    <message>
        <location filename="../cli.py" line="251" />
        <source>content differs from the manifest</source>
        <translation>inhoud wijkt af van het manifest</translation>
    </message>
    <message>
        <location filename="../cli.py" line="255" />
        <source>The package is incomplete or was changed after export: ask the gemeente for a new one.</source>
        <translation>Het pakket is onvolledig of na de export gewijzigd: vraag de gemeente om een nieuw pakket.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="257" />
        <source>{} plans re-validated: {} errors, {} warnings.</source>
        <translation>{} plannen opnieuw gevalideerd: {} fouten, {} waarschuwingen.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="267" />
        <source>OK: complete, unchanged and valid.</source>
        <translation>OK: volledig, ongewijzigd en geldig.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="281" />
        <source>Basisset 2.0 housing plans for the LMVW: create a plan layer, validate it, export the province's package, inspect a received package.</source>
        <translation>Woningbouwplannen volgens Basisset 2.0 voor de LMVW: maak een planlaag, valideer die, exporteer het pakket voor de provincie, controleer een ontvangen pakket.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="286" />
        <source>language of messages and findings (default nl)</source>
        <translation>taal van meldingen en bevindingen (standaard nl)</translation>
    </message>
    <message>
        <location filename="../cli.py" line="291" />
        <source>create a GeoPackage with the plan layer, fasering table, form and style</source>
        <translation>maak een GeoPackage met de planlaag, de faseringstabel, het formulier en de stijl</translation>
    </message>
    <message>
        <location filename="../cli.py" line="293" />
        <source>the GeoPackage to create (must not exist)</source>
        <translation>het GeoPackage dat wordt aangemaakt (mag nog niet bestaan)</translation>
    </message>
    <message>
        <location filename="../cli.py" line="294" />
        <source>CBS code of the gemeente, e.g. GM0344</source>
        <translation>CBS-code van de gemeente, bijvoorbeeld GM0344</translation>
    </message>
    <message>
        <location filename="../cli.py" line="297" />
        <source>check every Basisset rule and print a summary</source>
        <translation>controleer alle regels van de Basisset en toon een samenvatting</translation>
    </message>
    <message>
        <location filename="../cli.py" line="297" />
        <source>Exit 0 without errors, 1 with errors, 2 when the input cannot be read.</source>
        <translation>Exitcode 0 zonder fouten, 1 met fouten, 2 als de invoer niet te lezen is.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="299" />
        <source>plan layer: a GeoPackage or any file GDAL reads</source>
        <translation>planlaag: een GeoPackage of een ander bestand dat GDAL kan lezen</translation>
    </message>
    <message>
        <location filename="../cli.py" line="300" />
        <source>reference date for rules R19 and R23 (default today)</source>
        <translation>peildatum voor de regels R19 en R23 (standaard vandaag)</translation>
    </message>
    <message>
        <location filename="../cli.py" line="302" />
        <source>write the summary and every finding as JSON</source>
        <translation>schrijf de samenvatting en alle bevindingen weg als JSON</translation>
    </message>
    <message>
        <location filename="../cli.py" line="320" />
        <source>layer name in the file (default woningbouwplannen)</source>
        <translation>naam van de laag in het bestand (standaard woningbouwplannen)</translation>
    </message>
    <message>
        <location filename="../cli.py" line="306" />
        <source>write the uitvraag package (zip) for the province</source>
        <translation>schrijf het uitvraagpakket (zip) voor de provincie</translation>
    </message>
    <message>
        <location filename="../cli.py" line="306" />
        <source>Exit 0 on success, 1 when validation errors block it, 2 on bad input or a write failure, 128 + the signal's number when stopped (130 Ctrl-C, 129 SIGHUP, 143 SIGTERM). Nothing is written unless the whole package is.</source>
        <translation>Exitcode 0 bij succes, 1 als validatiefouten de levering tegenhouden, 2 bij ongeldige invoer of een schrijffout, 128 + het nummer van het signaal bij een onderbreking (130 Ctrl-C, 129 SIGHUP, 143 SIGTERM). Er wordt alleen iets geschreven als het hele pakket kan worden geschreven.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="310" />
        <source>e.g. 2026-najaar</source>
        <translation>bijvoorbeeld 2026-najaar</translation>
    </message>
    <message>
        <location filename="../cli.py" line="312" />
        <source>the delivering gemeente (default: the one gemeentecode all plans share)</source>
        <translation>de leverende gemeente (standaard: de gemeentecode die alle plannen gemeen hebben)</translation>
    </message>
    <message>
        <location filename="../cli.py" line="317" />
        <source>deliver despite errors, marked as concept</source>
        <translation>lever ondanks fouten, gemarkeerd als concept</translation>
    </message>
    <message>
        <location filename="../cli.py" line="318" />
        <source>replace an existing package</source>
        <translation>vervang een bestaand pakket</translation>
    </message>
    <message>
        <location filename="../cli.py" line="319" />
        <source>the zip to write, or a folder</source>
        <translation>het zipbestand dat wordt geschreven, of een map</translation>
    </message>
    <message>
        <location filename="../cli.py" line="323" />
        <source>check a received package: checksums, contents, re-validation</source>
        <translation>controleer een ontvangen pakket: controlesommen, inhoud, opnieuw valideren</translation>
    </message>
    <message>
        <location filename="../cli.py" line="323" />
        <source>Exit 0 when complete, unchanged and valid; 1 validation errors; 2 unreadable; 3 incomplete or changed.</source>
        <translation>Exitcode 0 als het pakket volledig, ongewijzigd en geldig is; 1 bij validatiefouten; 2 als het onleesbaar is; 3 als het onvolledig of gewijzigd is.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="328" />
        <source>write the result as JSON</source>
        <translation>schrijf het resultaat weg als JSON</translation>
    </message>
    <message>
        <location filename="../cli.py" line="331" />
        <source>create, validate and deliver the built-in demo plans</source>
        <translation>maak, valideer en lever de ingebouwde demoplannen</translation>
    </message>
    <message>
        <location filename="../cli.py" line="332" />
        <source>folder for the demo files (default ./out)</source>
        <translation>map voor de demobestanden (standaard ./out)</translation>
    </message>
    <message>
        <location filename="../cli.py" line="352" />
        <source>Interrupted.</source>
        <translation>Onderbroken.</translation>
    </message>
    <message>
        <location filename="../demomake.py" line="29" />
        <source>Replacing the earlier demo file {}</source>
        <translation>Het eerdere demobestand {} wordt vervangen</translation>
    </message>
    <message>
        <location filename="../demomake.py" line="54" />
        <source>Validation</source>
        <translation>Validatie</translation>
    </message>
    <message>
        <location filename="../demomake.py" line="64" />
        <source>The demo delivery failed: {}</source>
        <translation>De demolevering is mislukt: {}</translation>
    </message>
    <message>
        <location filename="../demomake.py" line="67" />
        <source>Delivery: {}</source>
        <translation>Levering: {}</translation>
    </message>
    <message>
        <location filename="../demomake.py" line="71" />
        <source>Left out: {} plans 5A/5B, {} confidential plans (totals in the manifest).</source>
        <translation>Weggelaten: {} plannen met 5A/5B, {} vertrouwelijke plannen (totalen in het manifest).</translation>
    </message>
    <message>
        <location filename="../demomake.py" line="74" />
        <source>Validation of the delivery: {} errors, {} warnings. Report: validatierapport.html in the zip.</source>
        <translation>Validatie van de levering: {} fouten, {} waarschuwingen. Rapport: validatierapport.html in het zipbestand.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="78" />
        <source>Choose a municipality from the list, or type its code as GM followed by 4 digits.</source>
        <translation>Kies een gemeente uit de lijst, of typ de code: GM gevolgd door 4 cijfers.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="66" />
        <source>Choose where to save the GeoPackage.</source>
        <translation>Kies waar het GeoPackage moet worden opgeslagen.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="72" />
        <source>{} already exists: choose another name (an existing file is never overwritten).</source>
        <translation>{} bestaat al: kies een andere naam (een bestaand bestand wordt nooit overschreven).</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="74" />
        <source>The folder {} does not exist: choose another place.</source>
        <translation>De map {} bestaat niet: kies een andere locatie.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="111" />
        <source>Export</source>
        <translation>Exporteren</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="159" />
        <source>Choose the plan layer.</source>
        <translation>Kies de planlaag.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="55" />
        <source>Layer '{}' does not have the Basisset fields. Missing: {}.</source>
        <translation>Laag '{}' heeft niet de velden van de Basisset. Ontbrekende velden: {}.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="167" />
        <source>Write the uitvraag as the year and voorjaar or najaar, e.g. 2026-najaar.</source>
        <translation>Schrijf de uitvraag als het jaar en voorjaar of najaar, bijvoorbeeld 2026-najaar.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="169" />
        <source>Choose the municipality that delivers.</source>
        <translation>Kies de gemeente die levert.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="171" />
        <source>Choose an existing output folder.</source>
        <translation>Kies een bestaande uitvoermap.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="177" />
        <source>'{}' has unsaved edits: save them first (Toggle Editing → Save). Nothing is exported from unsaved edits.</source>
        <translation>'{}' heeft niet-opgeslagen wijzigingen: sla ze eerst op (Bewerken aan/uit → Opslaan). Niet-opgeslagen wijzigingen worden niet geëxporteerd.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="179" />
        <source>Will write: {}</source>
        <translation>Wordt geschreven naar: {}</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="211" />
        <source>{} plans will be delivered; {} errors, {} warnings.</source>
        <translation>{} plannen worden geleverd; {} fouten, {} waarschuwingen.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="214" />
        <source>{} confidential plans are left out (only their totals are in the manifest).</source>
        <translation>{} vertrouwelijke plannen worden weggelaten (alleen hun totalen staan in het manifest).</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="216" />
        <source>{} plans with status 5A/5B are never delivered.</source>
        <translation>{} plannen met planstatus 5A/5B worden nooit geleverd.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="218" />
        <source>{} plans of another municipality are left out.</source>
        <translation>{} plannen van een andere gemeente worden weggelaten.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="220" />
        <source>No fasering table found: the package will have an empty fasering.</source>
        <translation>Geen faseringstabel gevonden: het pakket krijgt een lege fasering.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="222" />
        <source>The errors block a final delivery: fix them (see the LMVW-controle dock) or deliberately choose a concept delivery.</source>
        <translation>De fouten verhinderen een definitieve levering: herstel ze (zie het paneel LMVW-controle) of kies bewust voor een conceptlevering.</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="66" />
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="66" />
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="66" />
        <source>Finding</source>
        <translation>Bevinding</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="79" />
        <source>error</source>
        <translation>fout</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="79" />
        <source>warning</source>
        <translation>waarschuwing</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="390" />
        <source>LMVW-controle</source>
        <translation>LMVW-controle</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="125" />
        <source>The plan layer to check</source>
        <translation>De planlaag die wordt gecontroleerd</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="350" />
        <source>Validate</source>
        <translation>Valideer</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="351" />
        <source>Check every Basisset rule on the whole layer</source>
        <translation>Controleer alle regels van de Basisset op de hele laag</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="133" />
        <source>Errors and warnings</source>
        <translation>Fouten en waarschuwingen</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="201" />
        <source>Errors</source>
        <translation>Fouten</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="202" />
        <source>Warnings</source>
        <translation>Waarschuwingen</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="321" />
        <source>Choose a plan layer.</source>
        <translation>Kies een planlaag.</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="335" />
        <source>Validating {}</source>
        <translation>{} valideren</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="342" />
        <source>Validating {} plans…</source>
        <translation>{} plannen worden gevalideerd…</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="356" />
        <source>Validation failed: {}</source>
        <translation>Validatie mislukt: {}</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="358" />
        <source>Validation cancelled.</source>
        <translation>Validatie geannuleerd.</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="367" />
        <source>All rules</source>
        <translation>Alle regels</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="378" />
        <source>{} plans checked: no findings.</source>
        <translation>{} plannen gecontroleerd: geen bevindingen.</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="380" />
        <source>{} plans checked: {} errors, {} warnings. Double-click a finding to open the plan.</source>
        <translation>{} plannen gecontroleerd: {} fouten, {} waarschuwingen. Dubbelklik op een bevinding om het plan te openen.</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="392" />
        <source>LMVW-controle — {} errors, {} warnings</source>
        <translation>LMVW-controle — {} fouten, {} waarschuwingen</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="278" />
        <source>LMVW</source>
        <translation>LMVW</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="402" />
        <source>This finding is not about one plan: {}</source>
        <translation>Deze bevinding gaat niet over één plan: {}</translation>
    </message>
    <message>
        <location filename="../processing/provider.py" line="20" />
        <source>LMVW woningbouwplannen</source>
        <translation>LMVW woningbouwplannen</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="55" />
        <source>New plan layer…</source>
        <translation>Nieuwe planlaag…</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="55" />
        <source>Create a GeoPackage with the Basisset plan layer, fasering table, form and style</source>
        <translation>Maak een GeoPackage met de planlaag volgens de Basisset, de faseringstabel, het formulier en de stijl</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="196" />
        <source>Apply forms</source>
        <translation>Formulieren toepassen</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="58" />
        <source>Apply the Basisset form, relation and style to the active layer</source>
        <translation>Pas het formulier, de relatie en de stijl van de Basisset toe op de actieve laag</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="60" />
        <source>Validation (LMVW-controle)</source>
        <translation>Validatie (LMVW-controle)</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="60" />
        <source>Show the findings of the active plan layer</source>
        <translation>Toon de bevindingen van de actieve planlaag</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="63" />
        <source>Export delivery…</source>
        <translation>Levering exporteren…</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="63" />
        <source>Write the uitvraag package</source>
        <translation>Schrijf het uitvraagpakket</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="65" />
        <source>Settings…</source>
        <translation>Instellingen…</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="65" />
        <source>Municipality and default folder</source>
        <translation>Gemeente en standaardmap</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="163" />
        <source>Created {} for {}. Draw a plan with 'Add Polygon Feature'; the form opens with the defaults.</source>
        <translation>{} aangemaakt voor {}. Teken een plan met 'Polygoonobject toevoegen'; het formulier opent met de standaardwaarden.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="174" />
        <source>Select the plan layer in the Layers panel first.</source>
        <translation>Selecteer eerst de planlaag in het paneel Lagen.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="181" />
        <source>Layer '{}' does not have the Basisset fields, so no form was applied. Missing: {}.</source>
        <translation>Laag '{}' heeft niet de velden van de Basisset, daarom is er geen formulier toegepast. Ontbrekende velden: {}.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="184" />
        <source>Shapefile field names are at most 10 characters: convert the layer to a GeoPackage first.</source>
        <translation>Veldnamen in een shapefile zijn maximaal 10 tekens lang: zet de laag eerst om naar een GeoPackage.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="188" />
        <source>Form, style and constraints applied to '{}'.</source>
        <translation>Formulier, stijl en beperkingen toegepast op '{}'.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="193" />
        <source>No fasering table found next to it: the Fasering tab stays empty.</source>
        <translation>Geen faseringstabel bij deze laag gevonden: het tabblad Fasering blijft leeg.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="196" />
        <source>Also save the form and style in the GeoPackage as its default style, so that colleagues get them too?</source>
        <translation>Het formulier en de stijl ook als standaardstijl in het GeoPackage opslaan, zodat collega's ze ook krijgen?</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="204" />
        <source>The style could not be saved in the file: {}</source>
        <translation>De stijl kon niet in het bestand worden opgeslagen: {}</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="235" />
        <source>Export delivery</source>
        <translation>Levering exporteren</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="235" />
        <source>{} already exists. Replace it? The old package stays until the new one is complete.</source>
        <translation>{} bestaat al. Vervangen? Het oude pakket blijft bestaan totdat het nieuwe compleet is.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="250" />
        <source>Exporting delivery {}</source>
        <translation>Levering {} exporteren</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="253" />
        <source>Exporting… (progress in the task bar; you can cancel it there)</source>
        <translation>Bezig met exporteren… (voortgang in de takenbalk; daar kunt u de export ook annuleren)</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="264" />
        <source>Not exported: {} errors block a final delivery. Nothing was written.</source>
        <translation>Niet geëxporteerd: {} fouten verhinderen een definitieve levering. Er is niets geschreven.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="269" />
        <source>Export cancelled: nothing was written.</source>
        <translation>Export geannuleerd: er is niets geschreven.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="276" />
        <source>Package written: {} ({} plans, {} errors, {} warnings{}).</source>
        <translation>Pakket geschreven: {} ({} plannen, {} fouten, {} waarschuwingen{}).</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="279" />
        <source>Open folder</source>
        <translation>Map openen</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="282" />
        <source>Open report</source>
        <translation>Rapport openen</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="49" />
        <source>'{}' is not a date; write YYYY-MM-DD.</source>
        <translation>'{}' is geen datum; gebruik de vorm JJJJ-MM-DD.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="72" />
        <source>Cancelled.</source>
        <translation>Geannuleerd.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="76" />
        <source>Fasering read from '{}'.</source>
        <translation>Fasering gelezen uit '{}'.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="78" />
        <source>No fasering table found: rules R17–R19 and C04 are skipped.</source>
        <translation>Geen faseringstabel gevonden: de regels R17–R19 en C04 worden overgeslagen.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="111" />
        <source>Validate housing plans (Basisset)</source>
        <translation>Woningbouwplannen valideren (Basisset)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="114" />
        <source>Checks every Basisset 2.0 rule (R01–R24, G01–G07, C01–C04) on a plan layer and its fasering table. Outputs a findings table (point geometry where the problem is known), a JSON report and the counts. The rules are described in docs/regels.md.</source>
        <translation>Controleert alle regels van Basisset 2.0 (R01–R24, G01–G07, C01–C04) op een planlaag en de bijbehorende faseringstabel. Levert een tabel met bevindingen (met een puntgeometrie waar de plek van het probleem bekend is), een JSON-rapport en de aantallen. De regels staan beschreven in docs/regels.md.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="98" />
        <source>Plan layer</source>
        <translation>Planlaag</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="99" />
        <source>Fasering table (default: the plan layer's relation or file)</source>
        <translation>Faseringstabel (standaard: uit de relatie of het bestand van de planlaag)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="120" />
        <source>Peildatum (default today)</source>
        <translation>Peildatum (standaard vandaag)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="123" />
        <source>Findings</source>
        <translation>Bevindingen</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="125" />
        <source>JSON report</source>
        <translation>JSON-rapport</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="125" />
        <source>JSON files (*.json)</source>
        <translation>JSON-bestanden (*.json)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="127" />
        <source>Plans</source>
        <translation>Plannen</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="210" />
        <source>No plan layer given.</source>
        <translation>Geen planlaag opgegeven.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="142" />
        <source>Checking {} plans…</source>
        <translation>{} plannen worden gecontroleerd…</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="164" />
        <source>{} plans: {} errors, {} warnings.</source>
        <translation>{} plannen: {} fouten, {} waarschuwingen.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="179" />
        <source>Export delivery package (uitvraag)</source>
        <translation>Leveringspakket exporteren (uitvraag)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="190" />
        <source>Uitvraag (e.g. 2026-najaar)</source>
        <translation>Uitvraag (bijvoorbeeld 2026-najaar)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="192" />
        <source>Peildatum</source>
        <translation>Peildatum</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="194" />
        <source>Gemeentecode (default: the one all plans share)</source>
        <translation>Gemeentecode (standaard: de code die alle plannen gemeen hebben)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="196" />
        <source>Profile</source>
        <translation>Profiel</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="197" />
        <source>Concept delivery (despite errors)</source>
        <translation>Conceptlevering (ondanks fouten)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="244" />
        <source>Replace an existing package</source>
        <translation>Bestaand pakket vervangen</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="199" />
        <source>Package</source>
        <translation>Pakket</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="199" />
        <source>Zip files (*.zip)</source>
        <translation>Zipbestanden (*.zip)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="200" />
        <source>Plans delivered</source>
        <translation>Geleverde plannen</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="247" />
        <source>Cancelled: nothing was written.</source>
        <translation>Geannuleerd: er is niets geschreven.</translation>
    </message>
    <message>
        <location filename="../processing/provider.py" line="23" />
        <source>LMVW woningbouwplannen (Basisset 2.0)</source>
        <translation>LMVW woningbouwplannen (Basisset 2.0)</translation>
    </message>
    <message>
        <location filename="../cli.py" line="112" />
        <source>Optional fields missing from the layer (treated as empty): {}</source>
        <translation>Optionele velden ontbreken in de laag (behandeld als leeg): {}</translation>
    </message>
    <message>
        <location filename="../cli.py" line="135" />
        <source>Warning: {} is not in the CBS list of municipalities of {}; check the code.</source>
        <translation>Waarschuwing: {} staat niet in de CBS-lijst van gemeenten van {}; controleer de code.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="183" />
        <source>Not exported: {} errors block a final delivery ({} warnings besides). Nothing was written.</source>
        <translation>Niet geëxporteerd: {} fouten blokkeren een definitieve levering (daarnaast {} waarschuwingen). Er is niets geschreven.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="201" />
        <source>The plans have several gemeentecodes ({}): say which gemeente delivers with --gemeente GMdddd.</source>
        <translation>De plannen hebben verschillende gemeentecodes ({}): geef met --gemeente GMdddd aan welke gemeente levert.</translation>
    </message>
    <message>
        <location filename="../demomake.py" line="38" />
        <source>Could not write the demo plans: {}</source>
        <translation>De demoplannen konden niet worden geschreven: {}</translation>
    </message>
    <message>
        <location filename="../demomake.py" line="42" />
        <source>Could not write the demo fasering: {}</source>
        <translation>De demofasering kon niet worden geschreven: {}</translation>
    </message>
    <message>
        <location filename="../demomake.py" line="46" />
        <source>Demo GeoPackage: {} ({} plans, {} fasering rows, gemeente {} {}), made in {} s</source>
        <translation>Demo-GeoPackage: {} ({} plannen, {} faseringsrijen, gemeente {} {}), gemaakt in {} s</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="191" />
        <source>Optional fields missing (left out of the form): {}.</source>
        <translation>Optionele velden ontbreken (niet in het formulier): {}.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="57" />
        <source>Shapefile field names are at most 10 characters, too short for the Basisset: use a GeoPackage made with 'New plan layer…'.</source>
        <translation>Veldnamen in een shapefile zijn hooguit 10 tekens, te kort voor de Basisset: gebruik een GeoPackage gemaakt met 'Nieuwe planlaag…'.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="222" />
        <source>The plans have several gemeentecodes: fill in Gemeentecode.</source>
        <translation>De plannen hebben verschillende gemeentecodes: vul Gemeentecode in.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="240" />
        <source>Not exported: {} errors block a final delivery. Fix them, or tick 'Concept delivery (despite errors)'. Nothing was written.</source>
        <translation>Niet geëxporteerd: {} fouten blokkeren een definitieve levering. Herstel ze, of vink 'Conceptlevering (ondanks fouten)' aan. Er is niets geschreven.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="89" />
        <source>{} does not exist: check the path.</source>
        <translation>{} bestaat niet: controleer het pad.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="89" />
        <source>{} has no layer with geometry: give the file with the plan layer.</source>
        <translation>{} heeft geen laag met geometrie: geef het bestand met de planlaag.</translation>
    </message>
    <message>
        <location filename="../cli.py" line="89" />
        <source>{} has no layer '{}': check --layer.</source>
        <translation>{} heeft geen laag '{}': controleer --layer.</translation>
    </message>
    <message>
        <location filename="../processing/algorithms.py" line="182" />
        <source>Writes the zip a gemeente sends to its province: GeoPackage, CSVs, manifest.json and validatierapport.html. 5A/5B plans never leave; confidential plans follow the profile. Errors block a final delivery unless 'Concept delivery' is ticked. Nothing is written unless the whole package is; an existing package is only replaced with 'Replace an existing package'.</source>
        <translation>Schrijft de zip die een gemeente naar haar provincie stuurt: GeoPackage, CSV's, manifest.json en validatierapport.html. Plannen 5A/5B gaan nooit mee; vertrouwelijke plannen volgen het profiel. Fouten blokkeren een definitieve levering, tenzij 'Conceptlevering' is aangevinkt. Er wordt niets geschreven tenzij het hele pakket geschreven is; een bestaand pakket wordt alleen vervangen met 'Bestaand pakket vervangen'.</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="340" />
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../gui/dock.py" line="341" />
        <source>Cancel the validation</source>
        <translation>Validatie afbreken</translation>
    </message>
    <message>
        <location filename="../messages.py" line="30" />
        <source>{} already exists: choose another name, or replace it with {}.</source>
        <translation>{} bestaat al: kies een andere naam, of vervang het met {}.</translation>
    </message>
    <message>
        <source>a folder entry</source>
        <translation>een mapregel</translation>
    </message>
    <message>
        <source>contains a backslash</source>
        <translation>bevat een backslash</translation>
    </message>
    <message>
        <source>an absolute path</source>
        <translation>een absoluut pad</translation>
    </message>
    <message>
        <source>contains '..'</source>
        <translation>bevat '..'</translation>
    </message>
    <message>
        <source>contains control characters</source>
        <translation>bevat stuurtekens</translation>
    </message>
    <message>
        <source>a file is listed twice</source>
        <translation>een bestand staat er twee keer in</translation>
    </message>
    <message>
        <source>lists a file that is not part of a package</source>
        <translation>noemt een bestand dat niet in een pakket hoort</translation>
    </message>
    <message>
        <source>an integer</source>
        <translation>een geheel getal</translation>
    </message>
    <message>
        <source>a text</source>
        <translation>een tekst</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true of false</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>een object</translation>
    </message>
    <message>
        <source>a list</source>
        <translation>een lijst</translation>
    </message>
    <message>
        <source>a text or null</source>
        <translation>een tekst of null</translation>
    </message>
    <message>
        <source>a SHA-256 checksum (64 hex digits)</source>
        <translation>een SHA-256-controlesom (64 hexadecimale tekens)</translation>
    </message>
    <message>
        <source>{name} is not a readable zip file ({reason}).</source>
        <translation>{name} is geen leesbaar zipbestand ({reason}).</translation>
    </message>
    <message>
        <source>The zip holds {count} entries (at most {limit} are inspected): not a package of ours.</source>
        <translation>Het zipbestand bevat {count} onderdelen (er worden er hoogstens {limit} gecontroleerd): geen pakket van de plugin.</translation>
    </message>
    <message>
        <source>{name} is in the zip {count} times: programs open different copies, so the package cannot be trusted.</source>
        <translation>{name} staat {count} keer in het zipbestand: programma's openen verschillende exemplaren, dus het pakket is niet te vertrouwen.</translation>
    </message>
    <message>
        <source>Member '{name}' has a name no package has ({why}).</source>
        <translation>Onderdeel '{name}' heeft een naam die geen pakket heeft ({why}).</translation>
    </message>
    <message>
        <source>{name}: not part of a package (not in the manifest).</source>
        <translation>{name}: hoort niet in een pakket (staat niet in het manifest).</translation>
    </message>
    <message>
        <source>{name} is encrypted: a package is never encrypted.</source>
        <translation>{name} is versleuteld: een pakket is nooit versleuteld.</translation>
    </message>
    <message>
        <source>{name} uses compression method {method}, which inspect does not read (only stored and Deflate).</source>
        <translation>{name} gebruikt compressiemethode {method}, die inspect niet leest (alleen ongecomprimeerd en Deflate).</translation>
    </message>
    <message>
        <source>{name} would unpack to {size} bytes, more than the limit of {limit}: not inflated.</source>
        <translation>{name} zou uitgepakt {size} bytes worden, meer dan de grens van {limit}: niet uitgepakt.</translation>
    </message>
    <message>
        <source>The members would unpack to {size} bytes in total, more than the limit of {limit}: not inflated.</source>
        <translation>De onderdelen zouden uitgepakt samen {size} bytes worden, meer dan de grens van {limit}: niet uitgepakt.</translation>
    </message>
    <message>
        <source>manifest.json would unpack to {size} bytes, more than the limit of {limit}: not read.</source>
        <translation>manifest.json zou uitgepakt {size} bytes worden, meer dan de grens van {limit}: niet gelezen.</translation>
    </message>
    <message>
        <source>{name} is compressed {ratio} to 1 (at most {limit} to 1 is accepted): a zip bomb, not inflated.</source>
        <translation>{name} is {ratio} op 1 gecomprimeerd (hoogstens {limit} op 1 wordt geaccepteerd): een zipbom, niet uitgepakt.</translation>
    </message>
    <message>
        <source>{name} is damaged in the zip ({reason}).</source>
        <translation>{name} is beschadigd in het zipbestand ({reason}).</translation>
    </message>
    <message>
        <source>{name}: missing.</source>
        <translation>{name}: ontbreekt.</translation>
    </message>
    <message>
        <source>{name}: not listed in the manifest.</source>
        <translation>{name}: staat niet in het manifest.</translation>
    </message>
    <message>
        <source>{name}: size {size} differs from the manifest's {listed}.</source>
        <translation>{name}: grootte {size} wijkt af van de {listed} in het manifest.</translation>
    </message>
    <message>
        <source>{name}: checksum differs from the manifest (changed after export).</source>
        <translation>{name}: controlesom wijkt af van het manifest (gewijzigd na de export).</translation>
    </message>
    <message>
        <source>manifest.json is not valid JSON ({reason}).</source>
        <translation>manifest.json is geen geldige JSON ({reason}).</translation>
    </message>
    <message>
        <source>manifest.json: '{name}' is missing or not {expected}.</source>
        <translation>manifest.json: '{name}' ontbreekt of is niet {expected}.</translation>
    </message>
    <message>
        <source>manifest.json: '{name}' is '{value}', expected {expected}.</source>
        <translation>manifest.json: '{name}' is '{value}', verwacht: {expected}.</translation>
    </message>
    <message>
        <source>Not enough space in the temporary folder {name}: {needed} MB needed, {free} MB free. Free space there or set TMPDIR to another folder.</source>
        <translation>Niet genoeg ruimte in de tijdelijke map {name}: {needed} MB nodig, {free} MB vrij. Maak daar ruimte vrij of zet TMPDIR op een andere map.</translation>
    </message>
    <message>
        <source>Cannot write in the temporary folder {name} ({reason}): set TMPDIR to a folder where you may write.</source>
        <translation>Kan niet schrijven in de tijdelijke map {name} ({reason}): zet TMPDIR op een map waarin u mag schrijven.</translation>
    </message>
    <message>
        <source>{name} is not a readable GeoPackage ({reason}).</source>
        <translation>{name} is geen leesbare GeoPackage ({reason}).</translation>
    </message>
    <message>
        <source>{name} holds a table that is not part of a package: {table}.</source>
        <translation>{name} bevat een tabel die niet in een pakket hoort: {table}.</translation>
    </message>
    <message>
        <source>{name}: columns differ from the profile's (extra: {extra}; missing: {missing}).</source>
        <translation>{name}: de kolommen wijken af van die van het profiel (extra: {extra}; ontbrekend: {missing}).</translation>
    </message>
    <message>
        <source>{name} contains the field {field}, which never leaves the gemeente.</source>
        <translation>{name} bevat het veld {field}, dat de gemeente nooit verlaat.</translation>
    </message>
    <message>
        <source>{name} contains {count} plans with status 5A/5B ({statuses}), which are never delivered.</source>
        <translation>{name} bevat {count} plannen met status 5A/5B ({statuses}), die nooit geleverd worden.</translation>
    </message>
    <message>
        <source>{name} contains {count} plans of another gemeente ({codes}).</source>
        <translation>{name} bevat {count} plannen van een andere gemeente ({codes}).</translation>
    </message>
    <message>
        <source>{name} contains {count} confidential plans, which profile {profile} leaves out.</source>
        <translation>{name} bevat {count} vertrouwelijke plannen, die profiel {profile} weglaat.</translation>
    </message>
    <message>
        <source>{name} contains {count} plans that profile {profile} does not deliver (only {allowed}).</source>
        <translation>{name} bevat {count} plannen die profiel {profile} niet levert (alleen {allowed}).</translation>
    </message>
    <message>
        <source>{name} contains the free-text field {field}, which profile {profile} leaves out.</source>
        <translation>{name} bevat het vrije-tekstveld {field}, dat profiel {profile} weglaat.</translation>
    </message>
    <message>
        <source>{name}: {count} fasering rows belong to no delivered plan.</source>
        <translation>{name}: {count} faseringsregels horen bij geen geleverd plan.</translation>
    </message>
    <message>
        <source>manifest.json: {name} is {manifest}, the GeoPackage has {package}.</source>
        <translation>manifest.json: {name} is {manifest}, de GeoPackage heeft {package}.</translation>
    </message>
    <message>
        <source>manifest.json: {name} is {manifest}, re-validation of the package finds {package}.</source>
        <translation>manifest.json: {name} is {manifest}, opnieuw valideren van het pakket geeft {package}.</translation>
    </message>
    <message>
        <source>{name}: columns differ from the GeoPackage's (missing: {missing}; extra: {extra}).</source>
        <translation>{name}: de kolommen wijken af van die van de GeoPackage (ontbrekend: {missing}; extra: {extra}).</translation>
    </message>
    <message>
        <source>{name} has {csv} rows, the GeoPackage {gpkg}.</source>
        <translation>{name} heeft {csv} regels, de GeoPackage {gpkg}.</translation>
    </message>
    <message>
        <source>{name} row {row}, field {field}: '{csv}' in the CSV, '{gpkg}' in the GeoPackage.</source>
        <translation>{name} regel {row}, veld {field}: '{csv}' in de CSV, '{gpkg}' in de GeoPackage.</translation>
    </message>
    <message>
        <source>{name} cannot be read as a UTF-8 CSV ({reason}).</source>
        <translation>{name} is niet te lezen als UTF-8-CSV ({reason}).</translation>
    </message>
    <message>
        <source>Cannot write {}: it is a folder; give a file name.</source>
        <translation>Kan {} niet schrijven: het is een map; geef een bestandsnaam.</translation>
    </message>
    <message>
        <source>Cannot write {}: the folder {} does not exist.</source>
        <translation>Kan {} niet schrijven: de map {} bestaat niet.</translation>
    </message>
    <message>
        <source>Cannot write {}: the file is read-only.</source>
        <translation>Kan {} niet schrijven: het bestand is alleen-lezen.</translation>
    </message>
    <message>
        <source>Cannot write {}: you may not write in {}.</source>
        <translation>Kan {} niet schrijven: u mag niet schrijven in {}.</translation>
    </message>
    <message>
        <source>Cannot read {}: it is not a file.</source>
        <translation>Kan {} niet lezen: het is geen bestand.</translation>
    </message>
    <message>
        <source>The package cannot be read or inspected safely: ask the gemeente for a new one.</source>
        <translation>Het pakket is niet (veilig) te lezen: vraag de gemeente om een nieuw pakket.</translation>
    </message>
    <message>
        <source>Cannot inspect {}: not enough memory.</source>
        <translation>Kan {} niet controleren: niet genoeg geheugen.</translation>
    </message>
    <message>
        <source>Inspection of {} failed unexpectedly ({}): the package could not be checked; please report this.</source>
        <translation>De controle van {} is onverwacht mislukt ({}): het pakket kon niet gecontroleerd worden; meld dit alstublieft.</translation>
    </message>
    <message>
        <source>manifest.json: '{name}' {why}: {value}</source>
        <translation>manifest.json: '{name}' {why}: {value}</translation>
    </message>
    <message>
        <source>{name} row {row} has {cells} cells, the header {header}.</source>
        <translation>{name} regel {row} heeft {cells} cellen, de kopregel {header}.</translation>
    </message>
    <message>
        <source>{name} contains active content ({found}), which a report never has: do not open it in a browser.</source>
        <translation>{name} bevat actieve inhoud ({found}), die een rapport nooit heeft: open het niet in een browser.</translation>
    </message>
    <message>
        <source>{name} is not UTF-8 text ({reason}).</source>
        <translation>{name} is geen UTF-8-tekst ({reason}).</translation>
    </message>
    <message>
        <source>{name}: the spatial index disagrees with {count} geometries (programs that use it would show or select other plans).</source>
        <translation>{name}: de ruimtelijke index klopt niet met {count} geometrieën (programma's die hem gebruiken tonen of selecteren andere plannen).</translation>
    </message>
    <message>
        <source>{name}: {count} text cells start with = + - @ or a tab (first: row {row}, field {field}); a spreadsheet would run them as formulas. Do not open it in a spreadsheet.</source>
        <translation>{name}: {count} tekstcellen beginnen met = + - @ of een tab (eerste: regel {row}, veld {field}); een spreadsheet voert ze uit als formule. Open het niet in een spreadsheet.</translation>
    </message>
    <message>
        <source>Cannot write {}: it is the package being inspected; give another file name.</source>
        <translation>Kan {} niet schrijven: het is het pakket dat gecontroleerd wordt; geef een andere bestandsnaam.</translation>
    </message>
    <message>
        <source>{} is the source of the plans (or one of its files): an export never writes over its source. Choose another name or folder for the package. Nothing was written.</source>
        <translation>{} is de bron van de plannen (of een bestand daarvan): een export schrijft nooit over zijn bron. Kies een andere naam of map voor het pakket. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>{} exists and is not an LMVW package: only a previous package is ever replaced. Choose another name, or move the file away first. Nothing was written.</source>
        <translation>{} bestaat al en is geen LMVW-pakket: alleen een eerder pakket wordt ooit vervangen. Kies een andere naam, of verplaats het bestand eerst. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>{} is a folder: give the name of the zip to write, e.g. lmvw_GM0344_2026-najaar.zip.</source>
        <translation>{} is een map: geef de naam van de zip die geschreven moet worden, bijvoorbeeld lmvw_GM0344_2026-najaar.zip.</translation>
    </message>
    <message>
        <source>Writing the package failed. Nothing was written.</source>
        <translation>Het schrijven van het pakket is mislukt. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>The disk is full: the package needs about {} MB, {} MB is free at {}. Make room or choose another place. Nothing was written.</source>
        <translation>De schijf is vol: het pakket heeft ongeveer {} MB nodig, er is {} MB vrij in {}. Maak ruimte vrij of kies een andere locatie. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>The package is too large for the file system of {} (FAT32 takes at most 4 GB per file): choose a place on another disk. Nothing was written.</source>
        <translation>Het pakket is te groot voor het bestandssysteem van {} (FAT32 neemt hoogstens 4 GB per bestand): kies een plek op een andere schijf. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>There was not enough memory to write the package: close other programs and try again. Nothing was written.</source>
        <translation>Er was niet genoeg geheugen om het pakket te schrijven: sluit andere programma's en probeer het opnieuw. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>Export stopped by {}: nothing was written, the temporary files are removed.</source>
        <translation>Export gestopt door {}: er is niets geschreven, de tijdelijke bestanden zijn verwijderd.</translation>
    </message>
    <message>
        <source>Stopped by {}.</source>
        <translation>Gestopt door {}.</translation>
    </message>
    <message>
        <source>{} is the file being validated (or one of its files): choose another name for --json. Nothing was written.</source>
        <translation>{} is het bestand dat gevalideerd wordt (of een bestand daarvan): kies een andere naam voor --json. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>{} plan</source>
        <translation>{} plan</translation>
    </message>
    <message>
        <source>{} plans</source>
        <translation>{} plannen</translation>
    </message>
    <message>
        <source>{} error</source>
        <translation>{} fout</translation>
    </message>
    <message>
        <source>Close the open form first ({}): the forms cannot be applied while a form of this layer is open. Nothing was changed.</source>
        <translation>Sluit eerst het geopende formulier ({}): de formulieren kunnen niet worden toegepast zolang een formulier van deze laag open is. Er is niets gewijzigd.</translation>
    </message>
    <message>
        <source>The form of layer '{}' carried Python code from the file ({}). It was removed before the form opened, so it did not run. Apply forms (and save the default style) to remove it from the file too.</source>
        <translation>Het formulier van laag '{}' bevatte Python-code uit het bestand ({}). Die is verwijderd voordat het formulier openging en is dus niet uitgevoerd. Kies Formulieren toepassen (en sla de standaardstijl op) om hem ook uit het bestand te verwijderen.</translation>
    </message>
    <message>
        <source>Unexpected problem: {}. Press Validate to check again; the details are in the log (tab LMVW).</source>
        <translation>Onverwacht probleem: {}. Klik op Valideer om opnieuw te controleren; de details staan in het logboek (tabblad LMVW).</translation>
    </message>
    <message>
        <source>The LMVW-controle dock hit an unexpected problem: {}. The details are in the log (tab LMVW).</source>
        <translation>Het paneel LMVW-controle kreeg een onverwacht probleem: {}. De details staan in het logboek (tabblad LMVW).</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Ernst</translation>
    </message>
    <message>
        <source>1 error</source>
        <translation>1 fout</translation>
    </message>
    <message>
        <source>{} errors</source>
        <translation>{} fouten</translation>
    </message>
    <message>
        <source>{} warning</source>
        <translation>{} waarschuwing</translation>
    </message>
    <message>
        <source>1 warning</source>
        <translation>1 waarschuwing</translation>
    </message>
    <message>
        <source>{} warnings</source>
        <translation>{} waarschuwingen</translation>
    </message>
    <message>
        <source>{} plan will be delivered; {}, {}.</source>
        <translation>{} plan wordt geleverd; {}, {}.</translation>
    </message>
    <message>
        <source>{} plans will be delivered; {}, {}.</source>
        <translation>{} plannen worden geleverd; {}, {}.</translation>
    </message>
    <message>
        <source>{} confidential plan is left out (only its totals are in the manifest).</source>
        <translation>{} vertrouwelijk plan wordt weggelaten (alleen de totalen ervan staan in het manifest).</translation>
    </message>
    <message>
        <source>{} plan with status 5A/5B is never delivered.</source>
        <translation>{} plan met planstatus 5A/5B wordt nooit geleverd.</translation>
    </message>
    <message>
        <source>{} plan of another municipality is left out.</source>
        <translation>{} plan van een andere gemeente wordt weggelaten.</translation>
    </message>
    <message>
        <source>Not exported: {} error blocks a final delivery. Nothing was written.</source>
        <translation>Niet geëxporteerd: {} fout verhindert een definitieve levering. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>Package written: {} ({}, {}, {}{}).</source>
        <translation>Pakket geschreven: {} ({}, {}, {}{}).</translation>
    </message>
    <message>
        <source>{}: {}, {} (peildatum {})</source>
        <translation>{}: {}, {} (peildatum {})</translation>
    </message>
    <message>
        <source>{} hard</source>
        <translation>{} hard</translation>
    </message>
    <message>
        <source>{} soft</source>
        <translation>{} zacht</translation>
    </message>
    <message>
        <source>{} cancelled</source>
        <translation>{} vervallen</translation>
    </message>
    <message>
        <source>{} without a hard or soft planstatus</source>
        <translation>{} zonder harde of zachte planstatus</translation>
    </message>
    <message>
        <source>{} plan delivered ({}); bruto {}, netto {}, rest {}.</source>
        <translation>{} plan geleverd ({}); bruto {}, netto {}, rest {}.</translation>
    </message>
    <message>
        <source>{} plans delivered ({}); bruto {}, netto {}, rest {}.</source>
        <translation>{} plannen geleverd ({}); bruto {}, netto {}, rest {}.</translation>
    </message>
    <message>
        <source>{} fasering row</source>
        <translation>{} faseringsrij</translation>
    </message>
    <message>
        <source>{} fasering rows</source>
        <translation>{} faseringsrijen</translation>
    </message>
    <message>
        <source>Demo GeoPackage: {} ({}, {}, gemeente {} {}), made in {} s</source>
        <translation>Demo-GeoPackage: {} ({}, {}, gemeente {} {}), gemaakt in {} s</translation>
    </message>
    <message>
        <source>Left out: {}, {} (totals in the manifest).</source>
        <translation>Weggelaten: {}, {} (totalen in het manifest).</translation>
    </message>
    <message>
        <source>{} plan 5A/5B</source>
        <translation>{} plan met 5A/5B</translation>
    </message>
    <message>
        <source>{} plans 5A/5B</source>
        <translation>{} plannen met 5A/5B</translation>
    </message>
    <message>
        <source>{} confidential plan</source>
        <translation>{} vertrouwelijk plan</translation>
    </message>
    <message>
        <source>{} confidential plans</source>
        <translation>{} vertrouwelijke plannen</translation>
    </message>
    <message>
        <source>Validation of the delivery: {}, {}. Report: validatierapport.html in the zip.</source>
        <translation>Validatie van de levering: {}, {}. Rapport: validatierapport.html in het zipbestand.</translation>
    </message>
    <message>
        <source>The layer has no plans: draw or import the plans first. Nothing was written; an earlier package stays as it is.</source>
        <translation>De laag heeft geen plannen: teken of importeer eerst de plannen. Er is niets geschreven; een eerder pakket blijft zoals het is.</translation>
    </message>
    <message>
        <source>None of the {} plans in the layer would be delivered (planstatus 5A/5B, confidential in this profile, or of another municipality): check the municipality and the profile. Nothing was written; an earlier package stays as it is.</source>
        <translation>Geen van de {} plannen in de laag zou worden geleverd (planstatus 5A/5B, vertrouwelijk in dit profiel of van een andere gemeente): controleer de gemeente en het profiel. Er is niets geschreven; een eerder pakket blijft zoals het is.</translation>
    </message>
    <message>
        <source>… and {} more rules (see the dock)</source>
        <translation>… en nog {} regels (zie het paneel)</translation>
    </message>
    <message>
        <source>Checked only at export, against the delivering municipality: {}.</source>
        <translation>Alleen bij het exporteren gecontroleerd, tegen de leverende gemeente: {}.</translation>
    </message>
    <message>
        <source>{} finding in the dock does not count here: it concerns a plan or fasering row that is not delivered ({}).</source>
        <translation>{} bevinding in het paneel telt hier niet mee: die gaat over een plan of faseringsrij dat niet wordt geleverd ({}).</translation>
    </message>
    <message>
        <source>{} findings in the dock do not count here: they concern plans or fasering rows that are not delivered ({}).</source>
        <translation>{} bevindingen in het paneel tellen hier niet mee: die gaan over plannen of faseringsrijen die niet worden geleverd ({}).</translation>
    </message>
    <message>
        <source>The form of '{}' was made by an older version of the plugin ({}): apply the current form, relation and style?</source>
        <translation>Het formulier van '{}' is gemaakt met een oudere versie van de plug-in ({}): het huidige formulier, de relatie en de stijl toepassen?</translation>
    </message>
    <message>
        <source>'{}' has the Basisset fields but not the current form of the plugin: apply the form, relation and style?</source>
        <translation>'{}' heeft de velden van de Basisset, maar niet het huidige formulier van de plug-in: formulier, relatie en stijl toepassen?</translation>
    </message>
    <message>
        <source>{} confidential plan left out (only its totals are in the manifest).</source>
        <translation>{} vertrouwelijk plan weggelaten (alleen de totalen ervan staan in het manifest).</translation>
    </message>
    <message>
        <source>{} plan with status 5A/5B is not delivered.</source>
        <translation>{} plan met planstatus 5A/5B wordt niet geleverd.</translation>
    </message>
    <message>
        <source>Validation: {}, {}.</source>
        <translation>Validatie: {}, {}.</translation>
    </message>
    <message>
        <source>{}: {}, {}.</source>
        <translation>{}: {}, {}.</translation>
    </message>
    <message>
        <source>The only plan in the layer would not be delivered (planstatus 5A/5B, confidential in this profile, or of another municipality): check the municipality and the profile. Nothing was written; an earlier package stays as it is.</source>
        <translation>Het enige plan in de laag wordt niet geleverd (planstatus 5A/5B, vertrouwelijk in dit profiel of van een andere gemeente): controleer de gemeente en het profiel. Er is niets geschreven; een eerder pakket blijft zoals het is.</translation>
    </message>
    <message>
        <source>Checking {} plan…</source>
        <translation>{} plan wordt gecontroleerd…</translation>
    </message>
    <message>
        <source>{} confidential plan is left out; only its totals are in the manifest.</source>
        <translation>{} vertrouwelijk plan blijft buiten de levering; alleen de totalen staan in het manifest.</translation>
    </message>
    <message>
        <source>{} confidential plans are left out; only their totals are in the manifest.</source>
        <translation>{} vertrouwelijke plannen blijven buiten de levering; alleen hun totalen staan in het manifest.</translation>
    </message>
    <message>
        <source>{} confidential plan is left out; the manifest gives only the number, no totals (fewer than {} plans, so the totals would be its own numbers).</source>
        <translation>{} vertrouwelijk plan blijft buiten de levering; het manifest noemt alleen het aantal, geen totalen (minder dan {} plannen: de totalen zouden de eigen cijfers van het plan zijn).</translation>
    </message>
    <message>
        <source>{} confidential plans are left out; the manifest gives only their number, no totals (fewer than {} plans, so the totals would reveal single plans).</source>
        <translation>{} vertrouwelijke plannen blijven buiten de levering; het manifest noemt alleen hun aantal, geen totalen (minder dan {} plannen: de totalen zouden losse plannen verraden).</translation>
    </message>
    <message>
        <source>{} confidential plan is left out; the manifest gives only the number.</source>
        <translation>{} vertrouwelijk plan blijft buiten de levering; het manifest noemt alleen het aantal.</translation>
    </message>
    <message>
        <source>{} confidential plans are left out; the manifest gives only their number.</source>
        <translation>{} vertrouwelijke plannen blijven buiten de levering; het manifest noemt alleen hun aantal.</translation>
    </message>
    <message>
        <source>{} or {}</source>
        <translation>{} of {}</translation>
    </message>
    <message>
        <source>{} and {}</source>
        <translation>{} en {}</translation>
    </message>
    <message>
        <source>Unknown profile '{}': choose {}.</source>
        <translation>Onbekend profiel '{}': kies {}.</translation>
    </message>
    <message>
        <source>Table '{}' is not a fasering table: it needs the fields {}.</source>
        <translation>Tabel '{}' is geen faseringstabel: een faseringstabel moet de velden {} hebben.</translation>
    </message>
    <message>
        <source>Left out: {}.</source>
        <translation>Weggelaten: {}.</translation>
    </message>
    <message>
        <source>This is a CONCEPT delivery (chosen with --concept; it has no errors).</source>
        <translation>Dit is een CONCEPT-levering (gekozen met --concept; er zijn geen fouten).</translation>
    </message>
    <message>
        <source>1 plan</source>
        <translation>1 plan</translation>
    </message>
    <message>
        <source>LMVW-controle — {}, {}</source>
        <translation>LMVW-controle — {}, {}</translation>
    </message>
    <message>
        <source>{} checked: {}, {}. Double-click a finding to open the plan.</source>
        <translation>{} gecontroleerd: {}, {}. Dubbelklik op een bevinding om het plan te openen.</translation>
    </message>
    <message>
        <source>{} checked: no findings.</source>
        <translation>{} gecontroleerd: geen bevindingen.</translation>
    </message>
    <message>
        <source>Layer '{}' is not in edit mode, so the form opens read-only. Start editing to correct the plan?</source>
        <translation>Laag '{}' is niet in bewerkingsmodus, dus het formulier opent alleen-lezen. Bewerken starten om het plan te verbeteren?</translation>
    </message>
    <message>
        <source>Nothing was written.</source>
        <translation>Er is niets geschreven.</translation>
    </message>
    <message>
        <source>Not enough memory to export this layer: close other programs or export from the command line (python -m lmvw_plugin export). Nothing was written.</source>
        <translation>Niet genoeg geheugen om deze laag te exporteren: sluit andere programma's of exporteer vanaf de opdrachtregel (python -m lmvw_plugin export). Er is niets geschreven.</translation>
    </message>
    <message>
        <source>The layer was removed while it was exported: add it again and export once more. Nothing was written.</source>
        <translation>De laag is verwijderd tijdens het exporteren: voeg haar opnieuw toe en exporteer nog eens. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>Export failed unexpectedly ({}: {}). Nothing was written; the details are in the log (tab LMVW).</source>
        <translation>Exporteren is onverwacht mislukt ({}: {}). Er is niets geschreven; de details staan in het logboek (tabblad LMVW).</translation>
    </message>
    <message>
        <source>Cannot open the report: {} is no longer a readable package (moved, removed or replaced). Open the folder and unzip validatierapport.html yourself.</source>
        <translation>Kan het rapport niet openen: {} is geen leesbaar pakket meer (verplaatst, verwijderd of vervangen). Open de map en pak validatierapport.html zelf uit.</translation>
    </message>
    <message>
        <source>Validation stopped: nothing was checked or written. Press Validate to check the layer (Export stays disabled until then).</source>
        <translation>Validatie gestopt: er is niets gecontroleerd of geschreven. Druk op Valideer om de laag te controleren (Exporteren blijft tot dan uitgeschakeld).</translation>
    </message>
    <message>
        <source>Validating {} plans in the background…</source>
        <translation>{} plannen worden op de achtergrond gevalideerd…</translation>
    </message>
    <message>
        <source>Stop validating</source>
        <translation>Validatie stoppen</translation>
    </message>
    <message>
        <source>Validating {} for the export</source>
        <translation>{} valideren voor de export</translation>
    </message>
    <message>
        <source>Validation failed unexpectedly ({}: {}); nothing was written. The details are in the log (tab LMVW).</source>
        <translation>Validatie is onverwacht mislukt ({}: {}); er is niets geschreven. De details staan in het logboek (tabblad LMVW).</translation>
    </message>
    <message>
        <source>LMVW woningbouwplannen needs Python packages that every QGIS normally brings, but this one lacks: {}. Repair or reinstall QGIS with its Python packages (Debian/Ubuntu: sudo apt install python3-numpy python3-gdal; Windows: the OSGeo4W installer) and restart QGIS.</source>
        <translation>LMVW woningbouwplannen heeft Python-pakketten nodig die elke QGIS normaal meebrengt, maar deze mist: {}. Herstel of herinstalleer QGIS met zijn Python-pakketten (Debian/Ubuntu: sudo apt install python3-numpy python3-gdal; Windows: het OSGeo4W-installatieprogramma) en start QGIS opnieuw.</translation>
    </message>
    <message>
        <source>Install shapely 2…</source>
        <translation>Shapely 2 installeren…</translation>
    </message>
    <message>
        <source>Faster validation and export of large layers</source>
        <translation>Snellere validatie en export van grote lagen</translation>
    </message>
    <message>
        <source>Without shapely 2 the plugin uses GDAL/OGR for the geometry checks: the same findings, but several times slower on large layers (a municipality's few hundred plans take well under a second either way; a province's 50,000 plans take much longer). Installing shapely 2 for this QGIS makes validation, the dock and the export fast on large layers.</source>
        <translation>Zonder shapely 2 gebruikt de plug-in GDAL/OGR voor de geometriecontroles: dezelfde bevindingen, maar enkele keren trager op grote lagen (de paar honderd plannen van een gemeente kosten hoe dan ook ruim minder dan een seconde; de 50.000 plannen van een provincie duren veel langer). Met shapely 2 voor deze QGIS zijn validatie, het controlepaneel en de export snel op grote lagen.</translation>
    </message>
    <message>
        <source>Installing shapely 2 for QGIS</source>
        <translation>Shapely 2 installeren voor QGIS</translation>
    </message>
    <message>
        <source>Install shapely 2</source>
        <translation>Shapely 2 installeren</translation>
    </message>
    <message>
        <source>Install shapely 2 for this QGIS?

{}

It is downloaded from the Python Package Index (needs internet) with the pip of QGIS's Python ({}) into this profile's python folder ({}), which only this QGIS profile uses. Command:
{}

Restart QGIS afterwards.</source>
        <translation>Shapely 2 installeren voor deze QGIS?

{}

Het wordt gedownload van de Python Package Index (internet nodig) met de pip van de Python van QGIS ({}) in de python-map van dit profiel ({}), die alleen dit QGIS-profiel gebruikt. Opdracht:
{}

Start QGIS daarna opnieuw.</translation>
    </message>
    <message>
        <source>Installing shapely 2… (progress in the task bar)</source>
        <translation>Shapely 2 wordt geïnstalleerd… (voortgang in de takenbalk)</translation>
    </message>
    <message>
        <source>Installing shapely 2 was cancelled; nothing changes, the plugin keeps working with GDAL/OGR.</source>
        <translation>Installeren van shapely 2 is geannuleerd; er verandert niets, de plug-in blijft werken met GDAL/OGR.</translation>
    </message>
    <message>
        <source>The Python that QGIS runs was not found, so shapely 2 cannot be installed from here. Install it with that Python's pip: python -m pip install "shapely&gt;=2" (Windows: in the OSGeo4W Shell), then restart QGIS.</source>
        <translation>De Python die QGIS gebruikt is niet gevonden, dus shapely 2 kan niet vanuit hier worden geïnstalleerd. Installeer het met de pip van die Python: python -m pip install "shapely&gt;=2" (Windows: in de OSGeo4W Shell) en start QGIS daarna opnieuw.</translation>
    </message>
    <message>
        <source>shapely 2 was not installed; the plugin keeps working with GDAL/OGR. You can install it later: menu Plugins ▸ LMVW woningbouwplannen ▸ Install shapely 2….</source>
        <translation>Shapely 2 is niet geïnstalleerd; de plug-in blijft werken met GDAL/OGR. U kunt het later installeren: menu Plug-ins ▸ LMVW woningbouwplannen ▸ Shapely 2 installeren….</translation>
    </message>
    <message>
        <source>shapely 2 is installed for this QGIS profile. Restart QGIS to use it.</source>
        <translation>Shapely 2 is geïnstalleerd voor dit QGIS-profiel. Start QGIS opnieuw om het te gebruiken.</translation>
    </message>
    <message>
        <source>shapely 2 could not be installed: QGIS's Python ({}) has no pip. Install pip for it (Debian/Ubuntu: sudo apt install python3-pip) and try again from the plugin's menu; the plugin keeps working with GDAL/OGR.</source>
        <translation>Shapely 2 kon niet worden geïnstalleerd: de Python van QGIS ({}) heeft geen pip. Installeer pip ervoor (Debian/Ubuntu: sudo apt install python3-pip) en probeer het opnieuw via het menu van de plug-in; de plug-in blijft werken met GDAL/OGR.</translation>
    </message>
    <message>
        <source>shapely 2 could not be installed ({}); the plugin keeps working with GDAL/OGR. pip's output is in the log (tab LMVW).</source>
        <translation>Shapely 2 kon niet worden geïnstalleerd ({}); de plug-in blijft werken met GDAL/OGR. De uitvoer van pip staat in het logboek (tabblad LMVW).</translation>
    </message>
    <message>
        <source>shapely 2 is not installed for this QGIS ({}).</source>
        <translation>Shapely 2 is niet geïnstalleerd voor deze QGIS ({}).</translation>
    </message>
    <message>
        <source>{} cannot be compared: it is not a complete, unchanged LMVW package. Use the package as it was exported (from the delivery folder, or the province's copy).</source>
        <translation>{} kan niet worden vergeleken: het is geen volledig, ongewijzigd LMVW-pakket. Gebruik het pakket zoals het is geëxporteerd (uit de leveringsmap, of de kopie van de provincie).</translation>
    </message>
    <message>
        <source>Compared with the delivery {}: {} new, {} gone, {} changed, {} unchanged.</source>
        <translation>Vergeleken met de levering {}: {} nieuw, {} verdwenen, {} gewijzigd, {} ongewijzigd.</translation>
    </message>
    <message>
        <source>Phasing: {} dwelling-years later, {} dwelling-years earlier; {} dwellings delivered since.</source>
        <translation>Fasering: {} woningjaren later, {} woningjaren eerder; {} woningen sindsdien gerealiseerd.</translation>
    </message>
    <message>
        <source>{} plan was matched by name and geometry because its plan id changed (V05).</source>
        <translation>{} plan is op naam en geometrie gekoppeld omdat het plan-id veranderde (V05).</translation>
    </message>
    <message>
        <source>{} plans were matched by name and geometry because their plan ids changed (V05).</source>
        <translation>{} plannen zijn op naam en geometrie gekoppeld omdat hun plan-id veranderde (V05).</translation>
    </message>
    <message>
        <source>row {}</source>
        <translation>rij {}</translation>
    </message>
    <message>
        <source>{} holds no table: give the file with the plans.</source>
        <translation>{} bevat geen tabel: geef het bestand met de plannen.</translation>
    </message>
    <message>
        <source>{} is a folder, not a file GDAL reads: give the file with the plans.</source>
        <translation>{} is een map, geen bestand dat GDAL leest: geef het bestand met de plannen.</translation>
    </message>
    <message>
        <source>{} is not a regular file (a pipe or a device): copy the data to a file and give that.</source>
        <translation>{} is geen gewoon bestand (een pipe of apparaat): kopieer de gegevens naar een bestand en geef dat.</translation>
    </message>
    <message>
        <source>{} is damaged ({}): restore it from a backup.</source>
        <translation>{} is beschadigd ({}): zet het terug uit een back-up.</translation>
    </message>
    <message>
        <source>not in the code list {} ({}): map the value in the mapping file, or correct it in the source</source>
        <translation>staat niet in de codelijst {} ({}): koppel de waarde in het koppelbestand, of verbeter haar in de bron</translation>
    </message>
    <message>
        <source>a negative count: counts are 0 or more</source>
        <translation>een negatief aantal: aantallen zijn 0 of meer</translation>
    </message>
    <message>
        <source>not a whole number</source>
        <translation>geen geheel getal</translation>
    </message>
    <message>
        <source>a date, not a year: write the year only (e.g. 2027)</source>
        <translation>een datum, geen jaartal: schrijf alleen het jaar (bijv. 2027)</translation>
    </message>
    <message>
        <source>not a number</source>
        <translation>geen getal</translation>
    </message>
    <message>
        <source>not yes/no (ja/nee, true/false, 1/0)</source>
        <translation>geen ja/nee (ja/nee, true/false, 1/0)</translation>
    </message>
    <message>
        <source>not a date (write YYYY-MM-DD)</source>
        <translation>geen datum (schrijf JJJJ-MM-DD)</translation>
    </message>
    <message>
        <source>longer than {} characters</source>
        <translation>langer dan {} tekens</translation>
    </message>
    <message>
        <source>not a gemeentecode or gemeente name (write GM followed by 4 digits, e.g. GM0344)</source>
        <translation>geen gemeentecode of gemeentenaam (schrijf GM met 4 cijfers, bijv. GM0344)</translation>
    </message>
    <message>
        <source>Cannot read {}: {}. Check that it is a file GDAL reads (GeoPackage, shapefile, GeoJSON, CSV, XLSX).</source>
        <translation>Kan {} niet lezen: {}. Controleer of het een bestand is dat GDAL leest (GeoPackage, shapefile, GeoJSON, CSV, XLSX).</translation>
    </message>
    <message>
        <source>The geometries were transformed from {} to EPSG:28992 (RD New).</source>
        <translation>De geometrieën zijn getransformeerd van {} naar EPSG:28992 (RD New).</translation>
    </message>
    <message>
        <source>{} curved geometries were linearised.</source>
        <translation>{} gebogen geometrieën zijn omgezet in rechte lijnstukken.</translation>
    </message>
    <message>
        <source>{} geometries had Z or M values; they were dropped.</source>
        <translation>{} geometrieën hadden Z- of M-waarden; die zijn weggelaten.</translation>
    </message>
    <message>
        <source>{} TINs or polyhedral surfaces were read as multipolygons.</source>
        <translation>{} TIN's of veelvlakken zijn als multipolygonen gelezen.</translation>
    </message>
    <message>
        <source>The geometries were read from the WKT column '{}'.</source>
        <translation>De geometrieën zijn gelezen uit de WKT-kolom '{}'.</translation>
    </message>
    <message>
        <source>{} is not a mapping file of this plugin (it needs "lmvw_mapping": {} and "fields"): save one with the import's --save-mapping.</source>
        <translation>{} is geen koppelbestand van deze plug-in (het heeft "lmvw_mapping": {} en "fields" nodig): bewaar er een met --save-mapping van de import.</translation>
    </message>
    <message>
        <source>The mapping file {} names fields the Basisset does not have: {}. Correct them to Basisset field names (e.g. plannaam, planstatus).</source>
        <translation>Het koppelbestand {} noemt velden die de Basisset niet heeft: {}. Verbeter ze in veldnamen van de Basisset (bijv. plannaam, planstatus).</translation>
    </message>
    <message>
        <source>The mapping file {} maps several columns onto {}: keep one.</source>
        <translation>Het koppelbestand {} koppelt meerdere kolommen aan {}: houd er één.</translation>
    </message>
    <message>
        <source>the WKT cannot be read; the plan is imported without geometry: draw it</source>
        <translation>de WKT is niet leesbaar; het plan is zonder geometrie geïmporteerd: teken het</translation>
    </message>
    <message>
        <source>a {} is not a plan area; the plan is imported without geometry: draw its outline</source>
        <translation>een {} is geen plangebied; het plan is zonder geometrie geïmporteerd: teken de omtrek</translation>
    </message>
    <message>
        <source>fasering row {}</source>
        <translation>faseringsrij {}</translation>
    </message>
    <message>
        <source>The package (profile {}) does not hold: {}. Those fields keep their value in the target, or their default for new plans.</source>
        <translation>Het pakket (profiel {}) bevat niet: {}. Die velden houden hun waarde in het doel, of hun standaardwaarde bij nieuwe plannen.</translation>
    </message>
    <message>
        <source>Unknown format '{}': use one of {}.</source>
        <translation>Onbekend formaat '{}': gebruik een van {}.</translation>
    </message>
    <message>
        <source>{} is the source itself: import into another GeoPackage.</source>
        <translation>{} is de bron zelf: importeer in een ander GeoPackage.</translation>
    </message>
    <message>
        <source>{} is not a GeoPackage (.gpkg): give the plan GeoPackage to import into (a new name makes a new one).</source>
        <translation>{} is geen GeoPackage (.gpkg): geef het GeoPackage met de plannen om in te importeren (een nieuwe naam maakt een nieuw).</translation>
    </message>
    <message>
        <source>{} is a folder: give a GeoPackage file.</source>
        <translation>{} is een map: geef een GeoPackage-bestand.</translation>
    </message>
    <message>
        <source>Importing the {} format is not available yet in this version: export the plans from the province file to a GeoPackage or spreadsheet and import that as a table (--format table).</source>
        <translation>Importeren uit het formaat {} kan in deze versie nog niet: zet de plannen uit het provinciebestand over naar een GeoPackage of spreadsheet en importeer die als tabel (--format table).</translation>
    </message>
    <message>
        <source>{} holds no rows: give the file (or --layer) with the plans.</source>
        <translation>{} bevat geen rijen: geef het bestand (of --layer) met de plannen.</translation>
    </message>
    <message>
        <source>No column of {} is mapped onto plan_id, plan_id_extern or plannaam, so the plans cannot be told apart: map the column with the plan's name or id (--save-mapping writes the proposal to correct).</source>
        <translation>Geen kolom van {} is gekoppeld aan plan_id, plan_id_extern of plannaam, dus de plannen zijn niet uit elkaar te houden: koppel de kolom met de naam of het id van het plan (--save-mapping schrijft het voorstel om te verbeteren).</translation>
    </message>
    <message>
        <source>{} has no layer '{}': check the layer name.</source>
        <translation>{} heeft geen laag '{}': controleer de laagnaam.</translation>
    </message>
    <message>
        <source>Cannot read {}: {}. Restore it from a backup or export it again.</source>
        <translation>Kan {} niet lezen: {}. Zet het terug uit een back-up of exporteer het opnieuw.</translation>
    </message>
    <message>
        <source>The source has no coordinate reference system: the coordinates are taken as EPSG:28992 (RD New).</source>
        <translation>De bron heeft geen coördinatenstelsel: de coördinaten zijn gelezen als EPSG:28992 (RD New).</translation>
    </message>
    <message>
        <source>The mapping file {} does not exist: check the path.</source>
        <translation>Het koppelbestand {} bestaat niet: controleer het pad.</translation>
    </message>
    <message>
        <source>The mapping file {} cannot be read ({}): give a mapping file saved by the import.</source>
        <translation>Het koppelbestand {} is niet leesbaar ({}): geef een koppelbestand dat de import heeft bewaard.</translation>
    </message>
    <message>
        <source>The mapping file {} maps values of '{}', which is not a Basisset field with a code list.</source>
        <translation>Het koppelbestand {} koppelt waarden van '{}', maar dat is geen Basisset-veld met een codelijst.</translation>
    </message>
    <message>
        <source>The mapping file {} maps values of {} to codes the code list does not have: {}. Use one of: {}.</source>
        <translation>Het koppelbestand {} koppelt waarden van {} aan codes die de codelijst niet heeft: {}. Gebruik een van: {}.</translation>
    </message>
    <message>
        <source>{} does not have the Basisset fields (missing: {}): import into a GeoPackage made with 'new', or give a new file name.</source>
        <translation>{} heeft de Basisset-velden niet (ontbreken: {}): importeer in een GeoPackage gemaakt met 'new', of geef een nieuwe bestandsnaam.</translation>
    </message>
    <message>
        <source>the target layer has no field {}: its values are not imported; add the field to the layer</source>
        <translation>de doellaag heeft geen veld {}: de waarden ervan zijn niet geïmporteerd; voeg het veld toe aan de laag</translation>
    </message>
    <message>
        <source>{} is not an intact LMVW package ({}): inspect it with 'python -m lmvw_plugin inspect' and import the package as it was exported.</source>
        <translation>{} is geen gaaf LMVW-pakket ({}): controleer het met 'python -m lmvw_plugin inspect' en importeer het pakket zoals het geëxporteerd is.</translation>
    </message>
    <message>
        <source>{} cannot be read safely as an LMVW package ({}): check that it is the right file.</source>
        <translation>{} is niet veilig te lezen als LMVW-pakket ({}): controleer of het het juiste bestand is.</translation>
    </message>
    <message>
        <source>No column of {} could be matched to a Basisset field: write a mapping file (--save-mapping makes one to correct) and give it with --mapping.</source>
        <translation>Geen kolom van {} past bij een Basisset-veld: schrijf een koppelbestand (--save-mapping maakt er een om te verbeteren) en geef het met --mapping.</translation>
    </message>
    <message>
        <source>The plans have no single gemeentecode: say for which gemeente the new GeoPackage is with --gemeente GMdddd.</source>
        <translation>De plannen hebben niet één gemeentecode: zeg met --gemeente GMdddd voor welke gemeente het nieuwe GeoPackage is.</translation>
    </message>
    <message>
        <source>{} is in {}, which cannot be transformed to EPSG:28992 (RD New): reproject it to EPSG:28992 first (in QGIS: Export ▸ Save Features As).</source>
        <translation>{} is in {}, dat niet naar EPSG:28992 (RD New) te transformeren is: projecteer het eerst naar EPSG:28992 (in QGIS: Exporteren ▸ Objecten opslaan als).</translation>
    </message>
    <message>
        <source>the target has a plan of this name with another plan-id ({}): correct the plan-id in the source, or rename one of the plans</source>
        <translation>het doel heeft een plan met deze naam en een ander plan-id ({}): verbeter het plan-id in de bron, of geef een van de plannen een andere naam</translation>
    </message>
    <message>
        <source>the plan-id is also in {} of the source: neither is imported</source>
        <translation>het plan-id staat ook in {} van de bron: geen van beide is geïmporteerd</translation>
    </message>
    <message>
        <source>matches {} plans of the target ({}): give the plan its plan-id in the source</source>
        <translation>past bij {} plannen van het doel ({}): geef het plan zijn plan-id in de bron</translation>
    </message>
    <message>
        <source>the source has no column for this required field: new plans get it empty; map a column onto it or fill it in after the import</source>
        <translation>de bron heeft geen kolom voor dit verplichte veld: nieuwe plannen krijgen het leeg; koppel er een kolom aan of vul het na de import in</translation>
    </message>
    <message>
        <source>; the fasering row is not imported</source>
        <translation>; de faseringsrij is niet geïmporteerd</translation>
    </message>
    <message>
        <source>{} of the source matches the same plan of the target: neither is imported</source>
        <translation>{} van de bron past bij hetzelfde plan van het doel: geen van beide is geïmporteerd</translation>
    </message>
    <message>
        <source>new</source>
        <translation>nieuw</translation>
    </message>
    <message>
        <source>gone</source>
        <translation>verdwenen</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>gewijzigd</translation>
    </message>
    <message>
        <source>… and {} more (all of them with --json).</source>
        <translation>… en nog {} (allemaal met --json).</translation>
    </message>
    <message>
        <source>{} is one of the files being compared: choose another name for --json. Nothing was written.</source>
        <translation>{} is een van de bestanden die worden vergeleken: kies een andere naam voor --json. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>Changes written to {}</source>
        <translation>Wijzigingen geschreven naar {}</translation>
    </message>
    <message>
        <source>the previous delivery: adds the changes since then to the report and the manifest</source>
        <translation>de vorige levering: voegt de wijzigingen sindsdien toe aan het rapport en het manifest</translation>
    </message>
    <message>
        <source>what changed since the previous delivery</source>
        <translation>wat er veranderde sinds de vorige levering</translation>
    </message>
    <message>
        <source>Exit 0 with or without changes, 2 when an input cannot be read.</source>
        <translation>Exitcode 0 met of zonder wijzigingen, 2 als een invoer niet te lezen is.</translation>
    </message>
    <message>
        <source>the previous delivery (a package zip)</source>
        <translation>de vorige levering (een pakket-zip)</translation>
    </message>
    <message>
        <source>the current plans: a package zip or a GeoPackage</source>
        <translation>de huidige plannen: een pakket-zip of een GeoPackage</translation>
    </message>
    <message>
        <source>write the summary, the changed plans and the findings as JSON</source>
        <translation>schrijf de samenvatting, de gewijzigde plannen en de bevindingen als JSON</translation>
    </message>
    <message>
        <source>Changes since {}</source>
        <translation>Wijzigingen sinds {}</translation>
    </message>
    <message>
        <source>previous outline (moved or reshaped)</source>
        <translation>vorige omtrek (verplaatst of van vorm veranderd)</translation>
    </message>
    <message>
        <source>Compare with the previous delivery</source>
        <translation>Vergelijk met vorige levering</translation>
    </message>
    <message>
        <source>Adds 'Changes since …' to the report and the manifest, checks the rules across surveys (V01–V05) and shows the changes on the map</source>
        <translation>Voegt 'Wijzigingen sinds …' toe aan het rapport en het manifest, controleert de regels over uitvragen heen (V01–V05) en toont de wijzigingen op de kaart</translation>
    </message>
    <message>
        <source>LMVW packages (*.zip)</source>
        <translation>LMVW-pakketten (*.zip)</translation>
    </message>
    <message>
        <source>Nothing was exported.</source>
        <translation>Er is niets geëxporteerd.</translation>
    </message>
    <message>
        <source>Not enough memory to read {}. Nothing was exported.</source>
        <translation>Niet genoeg geheugen om {} te lezen. Er is niets geëxporteerd.</translation>
    </message>
    <message>
        <source>Compares the plan layer with a previous delivery package (zip, checked like inspect does): per plan new, gone, changed (which fields) or unchanged, the phasing delays in dwelling-years, and the rules across surveys (V01–V05). Outputs the changes layer (the previous outline where a plan moved) and a JSON file like 'python -m lmvw_plugin diff --json'.</source>
        <translation>Vergelijkt de planlaag met een vorig leveringspakket (zip, gecontroleerd zoals inspect dat doet): per plan nieuw, verdwenen, gewijzigd (welke velden) of ongewijzigd, de vertraging in de fasering in woningjaren, en de regels over uitvragen heen (V01–V05). Levert de wijzigingenlaag (met de vorige omtrek waar een plan verschoof) en een JSON-bestand zoals 'python -m lmvw_plugin diff --json'.</translation>
    </message>
    <message>
        <source>Previous delivery (package zip)</source>
        <translation>Vorige levering (pakket-zip)</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Wijzigingen</translation>
    </message>
    <message>
        <source>JSON of the changes</source>
        <translation>JSON van de wijzigingen</translation>
    </message>
    <message>
        <source>update</source>
        <translation>bijwerken</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>ongewijzigd</translation>
    </message>
    <message>
        <source>Delay (dwelling-years)</source>
        <translation>Vertraging (woningjaren)</translation>
    </message>
    <message>
        <source>The database refused the save: {} is negative. A count is 0 or more; correct it and save again.</source>
        <translation>De database weigerde het opslaan: {} is negatief. Een aantal is 0 of meer; verbeter het en sla opnieuw op.</translation>
    </message>
    <message>
        <source>The database refused the save: {} has a value that is not in its code list. Choose a value from the list and save again.</source>
        <translation>De database weigerde het opslaan: {} heeft een waarde die niet in de codelijst staat. Kies een waarde uit de lijst en sla opnieuw op.</translation>
    </message>
    <message>
        <source>The database refused the save: plan_id {} is already used by another plan. Give this plan a new plan_id (a new UUID) and save again.</source>
        <translation>De database weigerde het opslaan: plan_id {} is al in gebruik bij een ander plan. Geef dit plan een nieuwe plan_id (een nieuwe UUID) en sla opnieuw op.</translation>
    </message>
    <message>
        <source>The database refused the save: a fasering row names plan_id {}, which is no plan in the register. Save the plan first, or correct the plan_id of the row.</source>
        <translation>De database weigerde het opslaan: een faseringsregel noemt plan_id {}, maar dat plan staat niet in het register. Sla eerst het plan op, of verbeter de plan_id van de regel.</translation>
    </message>
    <message>
        <source>The database refused the save: the geometry must be a (multi)polygon in EPSG:28992 (RD New) ({}). Draw the plan as a polygon.</source>
        <translation>De database weigerde het opslaan: de geometrie moet een (multi)polygoon in EPSG:28992 (RD New) zijn ({}). Teken het plan als polygoon.</translation>
    </message>
    <message>
        <source>The database refused the save: plan_id '{}' is not a UUID. Leave plan_id empty to get a new one, or write a UUID such as 123e4567-e89b-42d3-a456-426614174000.</source>
        <translation>De database weigerde het opslaan: plan_id '{}' is geen UUID. Laat plan_id leeg voor een nieuwe, of schrijf een UUID zoals 123e4567-e89b-42d3-a456-426614174000.</translation>
    </message>
    <message>
        <source>The database refused the save: {} is empty and must be filled in.</source>
        <translation>De database weigerde het opslaan: {} is leeg en moet ingevuld zijn.</translation>
    </message>
    <message>
        <source>Plan {} was saved by {} at {} after you started editing it: your change was not saved and is still in your edit buffer. Reload the plan to see theirs, then make your change again (or discard yours).</source>
        <translation>Plan {} is door {} opgeslagen op {}, nadat u het begon te bewerken: uw wijziging is niet opgeslagen en staat nog in uw bewerkingsbuffer. Laad het plan opnieuw om de hunne te zien en breng uw wijziging dan opnieuw aan (of verwerp de uwe).</translation>
    </message>
    <message>
        <source>The database refused the save: {}</source>
        <translation>De database weigerde het opslaan: {}</translation>
    </message>
    <message>
        <source>PostgreSQL needs the Python module psycopg2: install it (Debian: apt-get install python3-psycopg2; OSGeo4W: python3-psycopg2) and try again.</source>
        <translation>Voor PostgreSQL is de Python-module psycopg2 nodig: installeer die (Debian: apt-get install python3-psycopg2; OSGeo4W: python3-psycopg2) en probeer het opnieuw.</translation>
    </message>
    <message>
        <source>Cannot connect to the database {}: {}. Check the connection (host, dbname, user, password or the service in pg_service.conf).</source>
        <translation>Kan geen verbinding maken met de database {}: {}. Controleer de verbinding (host, dbname, user, wachtwoord of de service in pg_service.conf).</translation>
    </message>
    <message>
        <source>The database {} has no plan register in schema '{}': check --schema, or create it with 'python -m lmvw_plugin new PG:"…" --schema {}'.</source>
        <translation>De database {} heeft geen planregister in schema '{}': controleer --schema, of maak het aan met 'python -m lmvw_plugin new PG:"…" --schema {}'.</translation>
    </message>
    <message>
        <source>Schema '{}' of {} already holds a plan register ({}): choose another schema (nothing was changed).</source>
        <translation>Schema '{}' van {} bevat al een planregister ({}): kies een ander schema (er is niets veranderd).</translation>
    </message>
    <message>
        <source>The database {} answered: {}</source>
        <translation>De database {} antwoordde: {}</translation>
    </message>
    <message>
        <source>with PG:"…": the schema of the plan register (default public)</source>
        <translation>bij PG:"…": het schema van het planregister (standaard public)</translation>
    </message>
    <message>
        <source>Nothing was stored: give only existing packages.</source>
        <translation>Er is niets opgeslagen: geef alleen bestaande pakketten.</translation>
    </message>
    <message>
        <source>✗ {}: refused, nothing of it is stored:</source>
        <translation>✗ {}: geweigerd, er is niets van opgeslagen:</translation>
    </message>
    <message>
        <source>✓ {}: {} {}, {} plans stored.</source>
        <translation>✓ {}: {} {}, {} plannen opgeslagen.</translation>
    </message>
    <message>
        <source>✓ {}: {} {}, {} plans stored; they replace the earlier delivery.</source>
        <translation>✓ {}: {} {}, {} plannen opgeslagen; ze vervangen de eerdere levering.</translation>
    </message>
    <message>
        <source>= {}: {} {} is already stored unchanged.</source>
        <translation>= {}: {} {} is al ongewijzigd opgeslagen.</translation>
    </message>
    <message>
        <source>Nothing was stored.</source>
        <translation>Er is niets opgeslagen.</translation>
    </message>
    <message>
        <source>Intake stopped: nothing was stored, the database is as it was.</source>
        <translation>Inlezen gestopt: er is niets opgeslagen, de database is zoals hij was.</translation>
    </message>
    <message>
        <source>The database refused the intake ({}): nothing was stored, the database is as it was.</source>
        <translation>De database weigerde het inlezen ({}): er is niets opgeslagen, de database is zoals hij was.</translation>
    </message>
    <message>
        <source>Intake into schema '{}': {} packages stored or unchanged, {} refused.</source>
        <translation>Inlezen in schema '{}': {} pakketten opgeslagen of ongewijzigd, {} geweigerd.</translation>
    </message>
    <message>
        <source>the province: inspect received packages and store them in a PostGIS database</source>
        <translation>de provincie: ontvangen pakketten controleren en in een PostGIS-database opslaan</translation>
    </message>
    <message>
        <source>Exit 0 when every package is stored (or already stored unchanged), 3 when some were refused (the others are stored), 2 when the database cannot be used (nothing is stored).</source>
        <translation>Exit 0 als elk pakket is opgeslagen (of al ongewijzigd opgeslagen was), 3 als er pakketten zijn geweigerd (de andere zijn opgeslagen), 2 als de database niet te gebruiken is (er is niets opgeslagen).</translation>
    </message>
    <message>
        <source>the database, e.g. PG:"service=provincie"</source>
        <translation>de database, bijvoorbeeld PG:"service=provincie"</translation>
    </message>
    <message>
        <source>schema of the intake (default provincie)</source>
        <translation>schema voor het inlezen (standaard provincie)</translation>
    </message>
    <message>
        <source>GeoPackage (a file, for one officer)</source>
        <translation>GeoPackage (een bestand, voor één medewerker)</translation>
    </message>
    <message>
        <source>PostGIS (a database, for several colleagues at once)</source>
        <translation>PostGIS (een database, voor meer collega's tegelijk)</translation>
    </message>
    <message>
        <source>PostGIS</source>
        <translation>PostGIS</translation>
    </message>
    <message>
        <source>Connection {}</source>
        <translation>Verbinding {}</translation>
    </message>
    <message>
        <source>Service {} (pg_service.conf)</source>
        <translation>Service {} (pg_service.conf)</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>Schema</translation>
    </message>
    <message>
        <source>The schema gets the tables woningbouwplannen and fasering, with the database's checks; form and style are stored in the database for every colleague.</source>
        <translation>Het schema krijgt de tabellen woningbouwplannen en fasering, met de controles van de database; formulier en stijl worden in de database opgeslagen voor elke collega.</translation>
    </message>
    <message>
        <source>There is no PostgreSQL connection in QGIS and no service in pg_service.conf: add one (Browser ▸ PostgreSQL ▸ New Connection) and open this dialog again.</source>
        <translation>Er is geen PostgreSQL-verbinding in QGIS en geen service in pg_service.conf: voeg er een toe (Browser ▸ PostgreSQL ▸ Nieuwe verbinding) en open dit venster opnieuw.</translation>
    </message>
    <message>
        <source>'{}' is not a schema name the plugin uses: write lower-case letters, digits and _ (starting with a letter), e.g. woningbouwplannen.</source>
        <translation>'{}' is geen schemanaam die de plug-in gebruikt: schrijf kleine letters, cijfers en _ (beginnend met een letter), bijvoorbeeld woningbouwplannen.</translation>
    </message>
    <message>
        <source>The tables were created, but the form and style could not be stored in the database ({}): apply them in QGIS with 'Formulieren toepassen'.</source>
        <translation>De tabellen zijn aangemaakt, maar formulier en stijl konden niet in de database worden opgeslagen ({}): pas ze in QGIS toe met 'Formulieren toepassen'.</translation>
    </message>
    <message>
        <source>Created the plan register in schema '{}' of {}: table '{}' and table '{}', with the database's checks, the form and style as default styles and a project in the database.</source>
        <translation>Planregister aangemaakt in schema '{}' van {}: tabel '{}' en tabel '{}', met de controles van de database, formulier en stijl als standaardstijl en een project in de database.</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>conflict</translation>
    </message>
    <message>
        <source>{} new, {} updated, {} unchanged, {} conflicts; {}.</source>
        <translation>{} nieuw, {} bijgewerkt, {} ongewijzigd, {} conflicten; {}.</translation>
    </message>
    <message>
        <source>{} value could not come over</source>
        <translation>{} waarde kon niet mee</translation>
    </message>
    <message>
        <source>{} values could not come over</source>
        <translation>{} waarden konden niet mee</translation>
    </message>
    <message>
        <source>Note: {}</source>
        <translation>Let op: {}</translation>
    </message>
    <message>
        <source>… and {} more plans (all are in --json).</source>
        <translation>… en nog {} plannen (alle staan in --json).</translation>
    </message>
    <message>
        <source>… and {} more (all are in --json).</source>
        <translation>… en nog {} (alle staan in --json).</translation>
    </message>
    <message>
        <source>{} value could not come over:</source>
        <translation>{} waarde kon niet mee:</translation>
    </message>
    <message>
        <source>{} values could not come over:</source>
        <translation>{} waarden konden niet mee:</translation>
    </message>
    <message>
        <source>Import of {} ({}) into {}{}</source>
        <translation>Import van {} ({}) in {}{}</translation>
    </message>
    <message>
        <source>Written to {}; validate it with 'python -m lmvw_plugin validate {}'.</source>
        <translation>Geschreven in {}; valideer het met 'python -m lmvw_plugin validate {}'.</translation>
    </message>
    <message>
        <source>Mapping written to {}</source>
        <translation>Koppeling geschreven in {}</translation>
    </message>
    <message>
        <source>bring plans in from a table, a province file or an earlier package</source>
        <translation>plannen binnenhalen uit een tabel, een provinciebestand of een eerder pakket</translation>
    </message>
    <message>
        <source>Exit 0 when everything came over, 1 when imported with values that could not come over (all listed), 2 when nothing was imported. The target is written only after the whole source was read, and is unchanged on any failure.</source>
        <translation>Exit 0 als alles mee kwam, 1 als er geïmporteerd is met waarden die niet mee konden (alle genoemd), 2 als er niets geïmporteerd is. Het doel wordt pas geschreven als de hele bron gelezen is, en blijft ongewijzigd bij elke fout.</translation>
    </message>
    <message>
        <source>any table GDAL reads, or an lmvw_*.zip package</source>
        <translation>elke tabel die GDAL leest, of een pakket lmvw_*.zip</translation>
    </message>
    <message>
        <source>the plan GeoPackage to add to (a new name makes a new one, as 'new' does)</source>
        <translation>het GeoPackage met plannen om aan toe te voegen (een nieuwe naam maakt een nieuw, zoals 'new')</translation>
    </message>
    <message>
        <source>the source's format (default: detected)</source>
        <translation>het formaat van de bron (standaard: herkend)</translation>
    </message>
    <message>
        <source>a mapping file: source column → Basisset field</source>
        <translation>een koppelbestand: kolom van de bron → Basisset-veld</translation>
    </message>
    <message>
        <source>write the mapping used (to correct and reuse)</source>
        <translation>schrijf de gebruikte koppeling (om te verbeteren en opnieuw te gebruiken)</translation>
    </message>
    <message>
        <source>gemeentecode for plans without one (and a new file)</source>
        <translation>gemeentecode voor plannen zonder (en voor een nieuw bestand)</translation>
    </message>
    <message>
        <source>show the preview, write nothing</source>
        <translation>toon het voorbeeld, schrijf niets</translation>
    </message>
    <message>
        <source>write the preview and the problems as JSON</source>
        <translation>schrijf het voorbeeld en de problemen als JSON</translation>
    </message>
    <message>
        <source>layer or sheet of the source (default: the plan layer or the first)</source>
        <translation>laag of werkblad van de bron (standaard: de planlaag of de eerste)</translation>
    </message>
    <message>
        <source>{} is the source, the target or a folder: choose another file name. Nothing was written.</source>
        <translation>{} is de bron, het doel of een map: kies een andere bestandsnaam. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>Nothing was imported; {} is unchanged.</source>
        <translation>Er is niets geïmporteerd; {} is ongewijzigd.</translation>
    </message>
    <message>
        <source>Could not write {}: {}. Nothing was imported; the file is unchanged.</source>
        <translation>Kon {} niet schrijven: {}. Er is niets geïmporteerd; het bestand is ongewijzigd.</translation>
    </message>
    <message>
        <source> (dry run: nothing written)</source>
        <translation> (proefrun: niets geschreven)</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>de schijf is vol</translation>
    </message>
    <message>
        <source>Import plans</source>
        <translation>Plannen importeren</translation>
    </message>
    <message>
        <source>Brings plans into a plan GeoPackage from any table GDAL reads (columns matched to the Basisset fields by name, label or a mapping file) or from an earlier LMVW package. Plans are matched by plan_id, then plan_id_extern, then plannaam within the gemeente: new ones are added, changed ones updated. Every value that could not come over is listed. A new file name makes a new GeoPackage; the target is unchanged on any failure.</source>
        <translation>Haalt plannen binnen in een GeoPackage met plannen uit elke tabel die GDAL leest (kolommen gekoppeld aan de Basisset-velden op naam, label of een koppelbestand) of uit een eerder LMVW-pakket. Plannen worden herkend aan plan_id, dan plan_id_extern, dan plannaam binnen de gemeente: nieuwe worden toegevoegd, gewijzigde bijgewerkt. Elke waarde die niet mee kon wordt genoemd. Een nieuwe bestandsnaam maakt een nieuw GeoPackage; het doel blijft ongewijzigd bij elke fout.</translation>
    </message>
    <message>
        <source>Source (table, province file or package)</source>
        <translation>Bron (tabel, provinciebestand of pakket)</translation>
    </message>
    <message>
        <source>Plan GeoPackage to import into</source>
        <translation>GeoPackage met plannen om in te importeren</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
<message>
        <source>what to write: lmvw (the LMVW package, default) or the format of a province: {}</source>
        <translation>wat te schrijven: lmvw (het LMVW-pakket, standaard) of het formaat van een provincie: {}</translation>
    </message>
    <message>
        <source>{} exists and was not written by a province export of this plugin: only such a file is ever replaced. Choose another name, or move the file away first. Nothing was written.</source>
        <translation>{} bestaat al en is niet geschreven door een provincie-export van deze plug-in: alleen zo'n bestand wordt ooit vervangen. Kies een andere naam of verplaats het bestand eerst. Er is niets geschreven.</translation>
    </message>
    <message>
        <source>The format {} cannot be written by this version of the plugin (its writer is not installed). Nothing was written.</source>
        <translation>Het formaat {} kan deze versie van de plug-in niet schrijven (de schrijver ervan is niet geïnstalleerd). Er is niets geschreven.</translation>
    </message>
    <message>
        <source>'{}' is not a format: choose one of {}.</source>
        <translation>'{}' is geen formaat: kies een van {}.</translation>
    </message>
    <message>
        <source>Note: the layer lacks the fields {} asks for ({}); they count as empty. Add them with 'Formulieren toepassen' in QGIS.</source>
        <translation>Let op: de laag mist de velden waar {} om vraagt ({}); ze tellen als leeg. Voeg ze toe met 'Formulieren toepassen' in QGIS.</translation>
    </message>
    <message>
        <source>{} written: {}</source>
        <translation>{} geschreven: {}</translation>
    </message>
    <message>
        <source>Report: {}</source>
        <translation>Rapport: {}</translation>
    </message>
    <message>
        <source>Plans delivered: {}.</source>
        <translation>Geleverde plannen: {}.</translation>
    </message>
    <message>
        <source>For {} plans the split over years and categories was computed (not recorded); the report lists them.</source>
        <translation>Voor {} plannen is de verdeling over jaren en categorieën berekend (niet vastgelegd); het rapport noemt ze.</translation>
    </message>
    <message>
        <source>{}: skipped, the writer for {} is not available in this version.</source>
        <translation>{}: overgeslagen, de schrijver voor {} is in deze versie niet beschikbaar.</translation>
    </message>
    <message>
        <source>{}: skipped, the demo has no gemeente in this province.</source>
        <translation>{}: overgeslagen, de demo heeft geen gemeente in deze provincie.</translation>
    </message>
    <message>
        <source>{}: could not write the demo plans.</source>
        <translation>{}: de demoplannen konden niet worden geschreven.</translation>
    </message>
    <message>
        <source>{}: the demo file failed: {}</source>
        <translation>{}: het demobestand is mislukt: {}</translation>
    </message>
    <message>
        <source>{} ({} {}): {} (report {}), {}.</source>
        <translation>{} ({} {}): {} (rapport {}), {}.</translation>
    </message>
    <message>
        <source>The demo plans in the provinces' formats (moved to a gemeente of each province):</source>
        <translation>De demoplannen in de formaten van de provincies (verplaatst naar een gemeente van elke provincie):</translation>
    </message>
    <message>
        <source>zuid-holland: write RFC 7946 GeoJSON in WGS84 instead of the province's EPSG:28992</source>
        <translation>zuid-holland: schrijf RFC 7946-GeoJSON in WGS84 in plaats van EPSG:28992 van de provincie</translation>
    </message>
    <message>
        <source>add the fields this province asks besides the Basisset (its own tab in the form)</source>
        <translation>voeg de velden toe die deze provincie naast de Basisset vraagt (een eigen tabblad in het formulier)</translation>
    </message>
    <message>
        <source>LMVW package (zip)</source>
        <translation>LMVW-pakket (zip)</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formaat</translation>
    </message>
    <message>
        <source>Mapping file</source>
        <translation>Koppelbestand</translation>
    </message>
    <message>
        <source>Gemeentecode (plans without one)</source>
        <translation>Gemeentecode (plannen zonder)</translation>
    </message>
    <message>
        <source>Preview only (write nothing)</source>
        <translation>Alleen voorbeeld (niets schrijven)</translation>
    </message>
    <message>
        <source>Report (JSON)</source>
        <translation>Rapport (JSON)</translation>
    </message>
    <message>
        <source>New plans</source>
        <translation>Nieuwe plannen</translation>
    </message>
    <message>
        <source>Updated plans</source>
        <translation>Bijgewerkte plannen</translation>
    </message>
    <message>
        <source>Unchanged plans</source>
        <translation>Ongewijzigde plannen</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Conflicten</translation>
    </message>
    <message>
        <source>Values that could not come over</source>
        <translation>Waarden die niet mee konden</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>Er is niets geïmporteerd.</translation>
    </message>
    <message>
        <source>Reading {}</source>
        <translation>{} lezen</translation>
    </message>
    <message>
        <source>Plans (*.gpkg *.shp *.geojson *.json *.csv *.xlsx *.ods *.zip *.gdb);;All files (*)</source>
        <translation>Plannen (*.gpkg *.shp *.geojson *.json *.csv *.xlsx *.ods *.zip *.gdb);;Alle bestanden (*)</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Bron</translation>
    </message>
    <message>
        <source>Import into plan layer</source>
        <translation>Importeren in planlaag</translation>
    </message>
    <message>
        <source>Read source</source>
        <translation>Bron lezen</translation>
    </message>
    <message>
        <source>Load mapping…</source>
        <translation>Koppeling laden…</translation>
    </message>
    <message>
        <source>Save mapping…</source>
        <translation>Koppeling opslaan…</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Voorbeeld</translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation>Koppeling</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problemen</translation>
    </message>
    <message>
        <source>Import into the edit buffer</source>
        <translation>Importeren in de bewerkingen</translation>
    </message>
    <message>
        <source>Reading {}… (the task bar shows the progress; you can cancel it there)</source>
        <translation>{} lezen… (de takenbalk toont de voortgang; daar kunt u annuleren)</translation>
    </message>
    <message>
        <source>Load mapping</source>
        <translation>Koppeling laden</translation>
    </message>
    <message>
        <source>Mapping (*.json)</source>
        <translation>Koppeling (*.json)</translation>
    </message>
    <message>
        <source>Save mapping</source>
        <translation>Koppeling opslaan</translation>
    </message>
    <message>
        <source>Problems ({})</source>
        <translation>Problemen ({})</translation>
    </message>
    <message>
        <source>Source column</source>
        <translation>Kolom van de bron</translation>
    </message>
    <message>
        <source>Example</source>
        <translation>Voorbeeld</translation>
    </message>
    <message>
        <source>Basisset field</source>
        <translation>Basisset-veld</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Actie</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Veld</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Waarde</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reden</translation>
    </message>
    <message>
        <source>{} rows read from {}.</source>
        <translation>{} rijen gelezen uit {}.</translation>
    </message>
    <message>
        <source>{} row read from {}.</source>
        <translation>{} rij gelezen uit {}.</translation>
    </message>
    <message>
        <source>Read the source first.</source>
        <translation>Lees eerst de bron.</translation>
    </message>
    <message>
        <source>Choose the plan layer to import into.</source>
        <translation>Kies de planlaag om in te importeren.</translation>
    </message>
    <message>
        <source>Reading was cancelled.</source>
        <translation>Het lezen is geannuleerd.</translation>
    </message>
    <message>
        <source>The layer lacks Basisset fields: {}</source>
        <translation>De laag mist Basisset-velden: {}</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>(niet importeren)</translation>
    </message>
    <message>
        <source>detect</source>
        <translation>herkennen</translation>
    </message>
    <message>
        <source>earlier LMVW package</source>
        <translation>eerder LMVW-pakket</translation>
    </message>
    <message>
        <source>table (with a mapping)</source>
        <translation>tabel (met een koppeling)</translation>
    </message>
    <message>
        <source>The layer {} cannot be edited.</source>
        <translation>De laag {} kan niet bewerkt worden.</translation>
    </message>
    <message>
        <source>The layer {} did not accept the new plans.</source>
        <translation>De laag {} nam de nieuwe plannen niet aan.</translation>
    </message>
    <message>
        <source>The layer {} did not accept the fasering rows.</source>
        <translation>De laag {} nam de faseringsrijen niet aan.</translation>
    </message>
    <message>
        <source>Import plans…</source>
        <translation>Plannen importeren…</translation>
    </message>
    <message>
        <source>Bring plans in from a table, a spreadsheet or an earlier package</source>
        <translation>Plannen binnenhalen uit een tabel, een spreadsheet of een eerder pakket</translation>
    </message>
    <message>
        <source>{} new and {} updated plans are in the edit buffer of {}: check them on the map and in the dock, then save the edits (or undo them).</source>
        <translation>{} nieuwe en {} bijgewerkte plannen staan in de bewerkingen van {}: bekijk ze op de kaart en in het paneel, en sla de bewerkingen dan op (of maak ze ongedaan).</translation>
    </message>
<message>
        <source>Province</source>
        <translation>Provincie</translation>
    </message>
    <message>
        <source>The format the export writes and the extra fields the province asks; 'LMVW package' for a province without its own format.</source>
        <translation>Het formaat dat de export schrijft en de extra velden die de provincie vraagt; 'LMVW-pakket' voor een provincie zonder eigen formaat.</translation>
    </message>
    <message>
        <source>LMVW package (no province format)</source>
        <translation>LMVW-pakket (geen eigen formaat van de provincie)</translation>
    </message>
    <message>
        <source>The province changed: choose 'Formulieren toepassen' on the plan layer to get its fields and form tab.</source>
        <translation>De provincie is gewijzigd: kies 'Formulieren toepassen' op de planlaag voor haar velden en tabblad in het formulier.</translation>
    </message>
    <message>
        <source>The province's fields could not be added to '{}': {}. Nothing was changed.</source>
        <translation>De velden van de provincie konden niet aan '{}' worden toegevoegd: {}. Er is niets gewijzigd.</translation>
    </message>
    <message>
        <source>Added the province's fields: {}.</source>
        <translation>Velden van de provincie toegevoegd: {}.</translation>
    </message>
    <message>
        <source>Added to the fasering table the columns of the split per year: {}.</source>
        <translation>Aan de faseringstabel zijn de kolommen voor de verdeling per jaar toegevoegd: {}.</translation>
    </message>
    <message>
        <source>{} already exists. Replace it? The old file stays until the new one is complete.</source>
        <translation>{} bestaat al. Vervangen? Het oude bestand blijft staan tot het nieuwe compleet is.</translation>
    </message>
    <message>
        <source>{} written: {} ({}, {}, {}).</source>
        <translation>{} geschreven: {} ({}, {}, {}).</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Jaar</translation>
    </message>
    <message>
        <source>Split (optional)</source>
        <translation>Verdeling (optioneel)</translation>
    </message>
    <message>
        <source>Dwelling type</source>
        <translation>Woningtype</translation>
    </message>
    <message>
        <source>Price category</source>
        <translation>Prijscategorie</translation>
    </message>
<message>
        <source>GDAL's Python bindings (osgeo) are missing: the Gelderland File Geodatabase cannot be written. Install QGIS 3.28 or newer, which comes with GDAL 3.6 or newer.</source>
        <translation>De Python-koppeling van GDAL (osgeo) ontbreekt: de File Geodatabase voor Gelderland kan niet worden geschreven. Installeer QGIS 3.28 of nieuwer, met GDAL 3.6 of nieuwer.</translation>
    </message>
    <message>
        <source>This QGIS uses GDAL {}, which cannot write a File Geodatabase: GDAL 3.6 or newer is needed (QGIS 3.28 or newer on Windows and macOS, or a QGIS built with GDAL 3.6). Choose another format or update QGIS.</source>
        <translation>Deze QGIS gebruikt GDAL {}, dat geen File Geodatabase kan schrijven: daarvoor is GDAL 3.6 of nieuwer nodig (QGIS 3.28 of nieuwer op Windows en macOS, of een QGIS gebouwd met GDAL 3.6). Kies een ander formaat of werk QGIS bij.</translation>
    </message>
    <message>
        <source>{}: field {} is empty, but the Gelderland template requires it. Fill it in the plan.</source>
        <translation>{}: veld {} is leeg, maar het sjabloon van Gelderland vereist een waarde. Vul het in het plan in.</translation>
    </message>
    <message>
        <source>{}: {} = {} does not fit the template's field ({} to {}); GDAL would store another number. Check the count in the plan.</source>
        <translation>{}: {} = {} past niet in het veld van het sjabloon ({} tot en met {}); GDAL zou een ander getal opslaan. Controleer het aantal in het plan.</translation>
    </message>
    <message>
        <source>{}: {} = "{}" is not a GUID in braces.</source>
        <translation>{}: {} = "{}" is geen GUID tussen accolades.</translation>
    </message>
    <message>
        <source>{}: {} = "{}" is not a value of Gelderland's list {}. Choose one of its values.</source>
        <translation>{}: {} = "{}" staat niet in de lijst {} van Gelderland. Kies een van de waarden uit die lijst.</translation>
    </message>
    <message>
        <source>{}: {} has {} characters, the template holds {}. Shorten the text in the plan.</source>
        <translation>{}: {} heeft {} tekens, het sjabloon bergt er {}. Kort de tekst in het plan in.</translation>
    </message>
    <message>
        <source>DetailPlanning row {} belongs to no delivered plan ({}).</source>
        <translation>DetailPlanning-rij {} hoort bij geen geleverd plan ({}).</translation>
    </message>
    <message>
        <source>The Zeeland workbooks need the Python package openpyxl, which this QGIS lacks and the plugin's copy could not supply. Reinstall the plugin from its zip, or install it: python -m pip install openpyxl.</source>
        <translation>De werkboeken voor Zeeland hebben het Python-pakket openpyxl nodig; deze QGIS heeft het niet en de kopie in de plug-in kon niet worden geladen. Installeer de plug-in opnieuw vanuit de zip, of installeer het pakket: python -m pip install openpyxl.</translation>
    </message>
    <message>
        <source>Plan '{}' consists of {} separate polygons; Zeeland stores one polygon per plan. Merge the parts into one polygon (QGIS: Edit ▸ Merge Selected Features, or draw one outline), or split it into {} plans.</source>
        <translation>Plan '{}' bestaat uit {} losse vlakken; Zeeland slaat één vlak per plan op. Voeg de delen samen tot één vlak (QGIS: Bewerken ▸ Geselecteerde objecten samenvoegen, of teken één omtrek), of splits het in {} plannen.</translation>
    </message>
    <message>
        <source>Plan '{}' has dwellings in {}; Zeeland's workbook has only the years 2024 to 2043. Move them to a year within that range, or leave this plan out of the Zeeland export.</source>
        <translation>Plan '{}' heeft woningen in {}; het werkboek van Zeeland heeft alleen de jaren 2024 tot en met 2043. Verplaats ze naar een jaar binnen die reeks, of laat dit plan buiten de export voor Zeeland.</translation>
    </message>
    <message>
        <source>Plan '{}' has a negative count.</source>
        <translation>Plan '{}' heeft een negatief aantal.</translation>
    </message>
    <message>
        <source>Plan '{}', row {} ({}): Totalen {} minus Gerealiseerd {} is not the sum of its years ({}).</source>
        <translation>Plan '{}', rij {} ({}): Totalen {} min Gerealiseerd {} is niet de som van de jaren ({}).</translation>
    </message>
    <message>
        <source>Plan '{}': the group {} adds up to {} in {}, Nieuwbouw has {}.</source>
        <translation>Plan '{}': de groep {} telt op tot {} in {}, Nieuwbouw heeft {}.</translation>
    </message>
    <message>
        <source>Plan '{}': its fasering holds {} of its {} remaining dwellings; Zeeland's check (Totalen minus Gerealiseerd is the sum of the years) fails until the fasering is complete.</source>
        <translation>Plan '{}': de fasering bevat {} van de {} resterende woningen; de controle van Zeeland (Totalen min Gerealiseerd is de som van de jaren) slaagt pas als de fasering compleet is.</translation>
    </message>
    <message>
        <source>Plan '{}': in the rows {} all dwellings are realised, so no year holds them; Zeeland's current importer skips such a row (its first version reads it). Check these rows in Zeeland after the import.</source>
        <translation>Plan '{}': in de rijen {} zijn alle woningen gerealiseerd, dus geen jaar bevat ze; de huidige importfunctie van Zeeland slaat zo'n rij over (de eerste versie leest hem wel). Controleer deze rijen in Zeeland na het importeren.</translation>
    </message>
    <message>
        <source>{} is not a zipped File Geodatabase (unexpected member {}).</source>
        <translation>{} is geen gezipte File Geodatabase (onverwacht bestand {}).</translation>
    </message>
    <message>
        <source>{} is neither a .gdb folder nor a zip of one.</source>
        <translation>{} is geen .gdb-map en geen zip daarvan.</translation>
    </message>
    <message>
        <source>{} is not Gelderland's Planregistratie template: {}. Use the province's Gelderland.gdb.zip, or export without a template.</source>
        <translation>{} is niet het Planregistratie-sjabloon van Gelderland: {}. Gebruik Gelderland.gdb.zip van de provincie, of exporteer zonder sjabloon.</translation>
    </message>
    <message>
        <source>layer {} is missing</source>
        <translation>laag {} ontbreekt</translation>
    </message>
    <message>
        <source>{}.{} is missing</source>
        <translation>{}.{} ontbreekt</translation>
    </message>
    <message>
        <source>{}.{} is {}, not {}</source>
        <translation>{}.{} is {}, niet {}</translation>
    </message>
    <message>
        <source>{} already holds {} rows</source>
        <translation>{} bevat al {} rijen</translation>
    </message>
    <message>
        <source>The {} format does not hold: {}. Those fields keep their value in the target, or their default for new plans.</source>
        <translation>Het formaat van {} bevat niet: {}. Die velden houden hun waarde in het doel, of hun standaardwaarde bij nieuwe plannen.</translation>
    </message>
    <message>
        <source>{} is not a GeoJSON FeatureCollection: give Zuid-Holland's *.pzh.geojson file.</source>
        <translation>{} is geen GeoJSON FeatureCollection: geef het bestand *.pzh.geojson van Zuid-Holland.</translation>
    </message>
    <message>
        <source>class {} is {} in the Basisset and the file does not say how many of each: the {} dwellings are counted as {}</source>
        <translation>klasse {} is {} in de Basisset en het bestand zegt niet hoeveel van elk: de {} woningen tellen als {}</translation>
    </message>
    <message>
        <source>{} dwellings have no price class in the file: counted as huur of koop onbekend</source>
        <translation>{} woningen hebben geen prijsklasse in het bestand: ze tellen als huur of koop onbekend</translation>
    </message>
    <message>
        <source>Cannot read {} as Zuid-Holland's GeoJSON ({}): give the *.pzh.geojson file.</source>
        <translation>Kan {} niet lezen als GeoJSON van Zuid-Holland ({}): geef het bestand *.pzh.geojson.</translation>
    </message>
    <message>
        <source>feature {}</source>
        <translation>object {}</translation>
    </message>
    <message>
        <source>Cannot read {} as Gelderland's File Geodatabase ({}): give the .gdb folder or its zip.</source>
        <translation>Kan {} niet lezen als File Geodatabase van Gelderland ({}): geef de map .gdb of de zip ervan.</translation>
    </message>
    <message>
        <source>{} has no layer Planregistratie: give Gelderland's File Geodatabase.</source>
        <translation>{} heeft geen laag Planregistratie: geef de File Geodatabase van Gelderland.</translation>
    </message>
    <message>
        <source>{} dwellings have no woningtype in the year rows (realised or not delivered per year): counted as woningtype onbekend</source>
        <translation>{} woningen hebben geen woningtype in de jaarrijen (gerealiseerd of niet per jaar geleverd): ze tellen als woningtype onbekend</translation>
    </message>
    <message>
        <source>Planregistratie {}</source>
        <translation>Planregistratie {}</translation>
    </message>
    <message>
        <source>Zeeland's workbooks hold no geometry and no plan_id: plans are matched by name within the gemeente, new ones come without geometry.</source>
        <translation>De werkboeken van Zeeland bevatten geen geometrie en geen plan-id: plannen worden herkend aan hun naam binnen de gemeente, nieuwe komen zonder geometrie.</translation>
    </message>
    <message>
        <source>{} holds no sheet with Zeeland's layout (the header 'Totalen', 'Gerealiseerd' and the years 2024–2043 in row 1 or row 18, the categories in column A): give the Planmonitor Wonen workbooks.</source>
        <translation>{} bevat geen werkblad met de indeling van Zeeland (de kop 'Totalen', 'Gerealiseerd' en de jaren 2024–2043 in rij 1 of rij 18, de categorieën in kolom A): geef de werkboeken van Planmonitor Wonen.</translation>
    </message>
    <message>
        <source>{} dwellings are 'Onbekend' in wonen en zorg, which has no Basisset field: not counted</source>
        <translation>{} woningen staan als 'Onbekend' bij wonen en zorg, waarvoor de Basisset geen veld heeft: niet meegeteld</translation>
    </message>
    <message>
        <source>Reading Zeeland's workbooks needs the Python package openpyxl: reinstall the plugin from its zip, or run python -m pip install openpyxl.</source>
        <translation>Voor het lezen van de werkboeken van Zeeland is het Python-pakket openpyxl nodig: installeer de plug-in opnieuw uit de zip, of voer python -m pip install openpyxl uit.</translation>
    </message>
    <message>
        <source>not a whole number of 0 or more; counted as 0</source>
        <translation>geen geheel getal van 0 of meer; geteld als 0</translation>
    </message>
    <message>
        <source>not a readable workbook ({}): skipped</source>
        <translation>geen leesbaar werkboek ({}): overgeslagen</translation>
    </message>
    <message>
        <source>gelderland: start from a copy of the province's own template (.gdb folder or its zip)</source>
        <translation>gelderland: begin met een kopie van het eigen sjabloon van de provincie (.gdb-map of de zip daarvan)</translation>
    </message>
    <message>
        <source>fill it in in the plan.</source>
        <translation>vul het in het plan in.</translation>
    </message>
    <message>
        <source>'{}' has unsaved edits, and the import reads what is stored: save or discard them first.</source>
        <translation>'{}' heeft niet-opgeslagen bewerkingen, en de import leest wat is opgeslagen: sla ze eerst op of verwerp ze.</translation>
    </message>
    <message>
        <source>'{}' has a filter, and the import reads the whole stored table: remove the filter, or save the filtered features as a GeoPackage and import that.</source>
        <translation>'{}' heeft een filter, en de import leest de hele opgeslagen tabel: verwijder het filter, of sla de gefilterde objecten op als GeoPackage en importeer die.</translation>
    </message>
    <message>
        <source>'{}' is not stored in a file or a PostGIS database (its provider is '{}'): save it as a GeoPackage first (right-click, Export, Save Features As…) and import that.</source>
        <translation>'{}' is niet opgeslagen in een bestand of een PostGIS-database (de provider is '{}'): sla de laag eerst op als GeoPackage (rechtsklik, Exporteren, Objecten opslaan als…) en importeer die.</translation>
    </message>
    <message>
        <source>or a layer in the project</source>
        <translation>of een laag in het project</translation>
    </message>
    <message>
        <source>Choose the source file, or a layer in the project.</source>
        <translation>Kies het bronbestand, of een laag in het project.</translation>
    </message>
    <message>
        <source>Source value</source>
        <translation>Bronwaarde</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>(no code: stays empty)</source>
        <translation>(geen code: blijft leeg)</translation>
    </message>
    <message>
        <source>{} of {} source values match no code: choose one below, or leave them empty (they are listed among the problems).</source>
        <translation>{} van {} bronwaarden passen bij geen code: kies er hieronder een, of laat ze leeg (ze staan dan bij de problemen).</translation>
    </message>
    <message>
        <source>{name} (peildatum {peildatum}, made {created}) is older than the delivery of {gemeente} {uitvraag} already stored, {stored} (peildatum {stored_peildatum}, made {stored_created}): the stored one stays. Give --replace-newer to store the older one anyway.</source>
        <translation>{name} (peildatum {peildatum}, gemaakt {created}) is ouder dan de levering van {gemeente} {uitvraag} die al is opgeslagen, {stored} (peildatum {stored_peildatum}, gemaakt {stored_created}): de opgeslagen levering blijft. Geef --replace-newer om de oudere toch op te slaan.</translation>
    </message>
    <message>
        <source>let a package with an older peildatum (or made earlier) replace the stored delivery of its gemeente and uitvraag (default: it is refused)</source>
        <translation>laat een pakket met een oudere peildatum (of eerder gemaakt) de opgeslagen levering van zijn gemeente en uitvraag vervangen (standaard: het wordt geweigerd)</translation>
    </message>
    <message>
        <source>the plan GeoPackage to add to (a new name makes a new one, as 'new' does), or a plan register in PostGIS: PG:"…" with --schema</source>
        <translation>de plan-GeoPackage om aan toe te voegen (een nieuwe naam maakt een nieuwe, zoals 'new'), of een planregister in PostGIS: PG:"…" met --schema</translation>
    </message>
    <message>
        <source>The database refused the import ({}): nothing was imported.</source>
        <translation>De database weigerde de import ({}): er is niets geïmporteerd.</translation>
    </message>
    <message>
        <source>{name} cannot be read as a {format} file: {reason}</source>
        <translation>{name} is niet te lezen als {format}-bestand: {reason}</translation>
    </message>
    <message>
        <source>{name} ({format}) does not say its gemeente and uitvraag (found: {gemeente}, {uitvraag}): name the file lmvw_GMdddd_YYYY-najaar_… as the export does, or give --uitvraag.</source>
        <translation>{name} ({format}) zegt niet van welke gemeente en uitvraag het is (gevonden: {gemeente}, {uitvraag}): noem het bestand lmvw_GMdddd_JJJJ-najaar_… zoals de export doet, of geef --uitvraag.</translation>
    </message>
    <message>
        <source>the uitvraag of province files whose name does not say it (a package's manifest does)</source>
        <translation>de uitvraag van provinciebestanden waarvan de naam die niet noemt (het manifest van een pakket noemt hem wel)</translation>
    </message>
    <message>
        <source>{} is a province file ({}), not a package: it has no manifest and no checksums, so a change after export cannot be seen, and there are no totals or validation summary to compare with.</source>
        <translation>{} is een provinciebestand ({}), geen pakket: het heeft geen manifest en geen controlesommen, dus een wijziging na de export is niet te zien, en er zijn geen totalen of validatiesamenvatting om mee te vergelijken.</translation>
    </message>
    <message>
        <source>{} plans of the file could not be stored (a plan-id twice, or a conflict).</source>
        <translation>{} plannen uit het bestand konden niet worden opgeslagen (een plan-id dubbel, of een conflict).</translation>
    </message>
    <message>
        <source>{} remarks on reading the file (values that could not come over, or were estimated; first: {}).</source>
        <translation>{} opmerkingen bij het lezen van het bestand (waarden die niet konden worden overgenomen, of geschat zijn; eerste: {}).</translation>
    </message>
    <message>
        <source>Re-validated: {} errors, {} warnings.</source>
        <translation>Opnieuw gevalideerd: {} fouten, {} waarschuwingen.</translation>
    </message>
    <message>
        <source>Plan {} was saved by {} at {} after the import read the register: nothing was imported. Run the import again (it then compares with that save).</source>
        <translation>Plan {} is door {} opgeslagen om {}, na het lezen van het register door de import: er is niets geïmporteerd. Voer de import opnieuw uit (die vergelijkt dan met die opslag).</translation>
    </message>
    <message>
        <source>Reading the previous delivery {}…</source>
        <translation>De vorige levering {} wordt gelezen…</translation>
    </message>
    <message>
        <source>Comparing with the previous delivery: Export waits for it.</source>
        <translation>Bezig met vergelijken met de vorige levering: Exporteren wacht daarop.</translation>
    </message>
    <message>
        <source>Choose another package, or untick the comparison.</source>
        <translation>Kies een ander pakket, of zet het vergelijken uit.</translation>
    </message>
    <message>
        <source>Not enough memory to read {}.</source>
        <translation>Niet genoeg geheugen om {} te lezen.</translation>
    </message>
    <message>
        <source>the previous delivery: a package zip, or the file delivered in a province's format (Gelderland, Zuid-Holland, Zeeland)</source>
        <translation>de vorige levering: een pakket-zip, of het bestand dat in het formaat van een provincie is geleverd (Gelderland, Zuid-Holland, Zeeland)</translation>
    </message>
    <message>
        <source>{} cannot be compared: {}</source>
        <translation>{} kan niet worden vergeleken: {}</translation>
    </message>
    <message>
        <source>{} is one of the files this algorithm reads or writes (or a folder): choose another name for the JSON file. Nothing was done.</source>
        <translation>{} is een van de bestanden die dit algoritme leest of schrijft (of een map): kies een andere naam voor het JSON-bestand. Er is niets gedaan.</translation>
    </message>
    <message>
        <source>An earlier file of that name is unchanged.</source>
        <translation>Een eerder bestand met die naam is ongewijzigd.</translation>
    </message>
    <message>
        <source>The import itself is done; the report was not written.</source>
        <translation>De import zelf is gedaan; het rapport is niet geschreven.</translation>
    </message>
    <message>
        <source>{} is the source or the plan layer's file (or a folder): choose another name for the mapping. Nothing was written.</source>
        <translation>{} is de bron of het bestand van de planlaag (of een map): kies een andere naam voor de koppeling. Er is niets geschreven.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../gui/export_dialog.ui" line="6" />
        <source>Export delivery</source>
        <translation>Levering exporteren</translation>
    </message>
    <message>
        <location filename="../gui/export_dialog.ui" line="10" />
        <source>Plan layer</source>
        <translation>Planlaag</translation>
    </message>
    <message>
        <location filename="../gui/export_dialog.ui" line="12" />
        <source>Uitvraag</source>
        <translation>Uitvraag</translation>
    </message>
    <message>
        <location filename="../gui/export_dialog.ui" line="13" />
        <source>e.g. 2026-najaar</source>
        <translation>bijv. 2026-najaar</translation>
    </message>
    <message>
        <location filename="../gui/export_dialog.ui" line="14" />
        <source>Peildatum</source>
        <translation>Peildatum</translation>
    </message>
    <message>
        <location filename="../gui/export_dialog.ui" line="16" />
        <source>Municipality</source>
        <translation>Gemeente</translation>
    </message>
    <message>
        <location filename="../gui/export_dialog.ui" line="18" />
        <source>Profile</source>
        <translation>Profiel</translation>
    </message>
    <message>
        <location filename="../gui/export_dialog.ui" line="21" />
        <source>Output folder</source>
        <translation>Uitvoermap</translation>
    </message>
    <message>
        <location filename="../gui/export_dialog.ui" line="27" />
        <source>Validation</source>
        <translation>Validatie</translation>
    </message>
    <message>
        <location filename="../gui/export_dialog.ui" line="30" />
        <source>Concept delivery: deliver despite the errors (the manifest marks it as concept)</source>
        <translation>Conceptlevering: lever ondanks de fouten (het manifest markeert de levering als concept)</translation>
    </message>
    <message>
        <source>Show the findings in the LMVW-controle dock</source>
        <translation>Bevindingen tonen in het paneel LMVW-controle</translation>
    </message>
    <message>
        <source>Closes this dialog and opens the dock with the errors; nothing is exported</source>
        <translation>Sluit dit venster en opent het paneel met de fouten; er wordt niets geëxporteerd</translation>
    </message>
</context>
<context>
    <name>NewLayerDialog</name>
    <message>
        <location filename="../gui/new_layer_dialog.ui" line="6" />
        <source>New plan layer</source>
        <translation>Nieuwe planlaag</translation>
    </message>
    <message>
        <location filename="../gui/new_layer_dialog.ui" line="8" />
        <source>Creates a GeoPackage with the layer woningbouwplannen (Basisset 2.0, EPSG:28992), the table fasering, the form and the style. Colleagues who open it without the plugin get the same form.</source>
        <translation>Maakt een GeoPackage met de laag woningbouwplannen (Basisset 2.0, EPSG:28992), de tabel fasering, het formulier en de stijl. Collega's die het bestand zonder de plug-in openen, krijgen hetzelfde formulier.</translation>
    </message>
    <message>
        <location filename="../gui/new_layer_dialog.ui" line="11" />
        <source>Save as</source>
        <translation>Opslaan als</translation>
    </message>
    <message>
        <location filename="../gui/new_layer_dialog.ui" line="12" />
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../gui/new_layer_dialog.ui" line="13" />
        <source>Municipality</source>
        <translation>Gemeente</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../gui/settings_dialog.ui" line="6" />
        <source>LMVW settings</source>
        <translation>LMVW-instellingen</translation>
    </message>
    <message>
        <location filename="../gui/settings_dialog.ui" line="10" />
        <source>Municipality</source>
        <translation>Gemeente</translation>
    </message>
    <message>
        <location filename="../gui/settings_dialog.ui" line="11" />
        <source>Type to search by name or code (GMdddd)</source>
        <translation>Typ om te zoeken op naam of code (GMdddd)</translation>
    </message>
    <message>
        <location filename="../gui/settings_dialog.ui" line="12" />
        <source>Default folder</source>
        <translation>Standaardmap</translation>
    </message>
    <message>
        <location filename="../gui/settings_dialog.ui" line="16" />
        <source>The municipality is the default for new plans and for deliveries.</source>
        <translation>Deze gemeente wordt standaard gebruikt voor nieuwe plannen en leveringen.</translation>
    </message>
    <message>
        <source>Add PDOK's BRT Achtergrondkaart under a new plan layer</source>
        <translation>PDOK's BRT Achtergrondkaart onder een nieuwe planlaag toevoegen</translation>
    </message>
    <message>
        <source>The background map of the Netherlands (WMTS, needs an internet connection)</source>
        <translation>De achtergrondkaart van Nederland (WMTS, vraagt een internetverbinding)</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>Validation report housing plans</source>
        <translation>Validatierapport woningbouwplannen</translation>
    </message>
    <message>
        <source>Municipality</source>
        <translation>Gemeente</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>Uitvraag</translation>
    </message>
    <message>
        <source>Reference date</source>
        <translation>Peildatum</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profiel</translation>
    </message>
    <message>
        <source>Created on</source>
        <translation>Gemaakt op</translation>
    </message>
    <message>
        <source>CONCEPT: this delivery contains errors and is not a final delivery.</source>
        <translation>CONCEPT: deze levering bevat fouten en is geen definitieve levering.</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>Totalen</translation>
    </message>
    <message>
        <source>Plans delivered</source>
        <translation>Plannen geleverd</translation>
    </message>
    <message>
        <source>Gross plan capacity</source>
        <translation>Bruto plancapaciteit</translation>
    </message>
    <message>
        <source>Net plan capacity</source>
        <translation>Netto plancapaciteit</translation>
    </message>
    <message>
        <source>Remaining capacity</source>
        <translation>Restcapaciteit</translation>
    </message>
    <message>
        <source>of which hard</source>
        <translation>waarvan hard</translation>
    </message>
    <message>
        <source>of which soft</source>
        <translation>waarvan zacht</translation>
    </message>
    <message>
        <source>Cancelled (delivered, not counted)</source>
        <translation>Vervallen (geleverd, telt niet mee)</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Gerealiseerd</translation>
    </message>
    <message>
        <source>Confidential plans, totals only</source>
        <translation>Vertrouwelijke plannen, alleen als totaal</translation>
    </message>
    <message>
        <source>no totals: fewer than {n} plans</source>
        <translation>geen totalen: minder dan {n} plannen</translation>
    </message>
    <message>
        <source>Plans 5A/5B (not delivered)</source>
        <translation>Plannen 5A/5B (niet geleverd)</translation>
    </message>
    <message>
        <source>Gross capacity per planning status</source>
        <translation>Bruto plancapaciteit per planstatus</translation>
    </message>
    <message>
        <source>Gross capacity per price category</source>
        <translation>Bruto plancapaciteit per prijscategorie</translation>
    </message>
    <message>
        <source>Expected delivery per year (phasing)</source>
        <translation>Verwachte oplevering per jaar (fasering)</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>Validatie</translation>
    </message>
    <message>
        <source>errors</source>
        <translation>fouten</translation>
    </message>
    <message>
        <source>warnings</source>
        <translation>waarschuwingen</translation>
    </message>
    <message>
        <source>No findings: every Basisset rule is met.</source>
        <translation>Geen bevindingen: alle regels van de Basisset zijn gehaald.</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Bevinding</translation>
    </message>
    <message>
        <source>Findings on plans outside this delivery (without names)</source>
        <translation>Bevindingen bij plannen buiten deze levering (zonder namen)</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>geen gegevens</translation>
    </message>
    <message>
        <source>dwellings</source>
        <translation>woningen</translation>
    </message>
    <message>
        <source>Made with lmvw_plugin {version}, Basisset {basisset}.</source>
        <translation>Gemaakt met lmvw_plugin {version}, Basisset {basisset}.</translation>
    </message>
    <message>
        <source>The rules of the findings</source>
        <translation>De regels van de bevindingen</translation>
    </message>
    <message>
        <source>The rules of Basisset {basisset} this delivery has findings on. An error blocks a final delivery, a warning does not.</source>
        <translation>Zo luiden de regels van Basisset {basisset} waar deze levering bevindingen bij heeft. Een fout blokkeert een definitieve levering, een waarschuwing niet.</translation>
    </message>
    <message>
        <source>error</source>
        <translation>fout</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>waarschuwing</translation>
    </message>
    <message>
        <source>Delivered plans</source>
        <translation>Geleverde plannen</translation>
    </message>
    <message>
        <source>Overview map of the delivered plans</source>
        <translation>Overzichtskaart van de geleverde plannen</translation>
    </message>
    <message>
        <source>hard</source>
        <translation>hard</translation>
    </message>
    <message>
        <source>soft</source>
        <translation>zacht</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>vervallen</translation>
    </message>
    <message>
        <source>RD New (EPSG:28992), width {km} km</source>
        <translation>RD New (EPSG:28992), breedte {km} km</translation>
    </message>
    <message>
        <source>at</source>
        <translation>om</translation>
    </message>
    <message>
        <source>January</source>
        <translation>januari</translation>
    </message>
    <message>
        <source>February</source>
        <translation>februari</translation>
    </message>
    <message>
        <source>March</source>
        <translation>maart</translation>
    </message>
    <message>
        <source>April</source>
        <translation>april</translation>
    </message>
    <message>
        <source>May</source>
        <translation>mei</translation>
    </message>
    <message>
        <source>June</source>
        <translation>juni</translation>
    </message>
    <message>
        <source>July</source>
        <translation>juli</translation>
    </message>
    <message>
        <source>August</source>
        <translation>augustus</translation>
    </message>
    <message>
        <source>September</source>
        <translation>september</translation>
    </message>
    <message>
        <source>October</source>
        <translation>oktober</translation>
    </message>
    <message>
        <source>November</source>
        <translation>november</translation>
    </message>
    <message>
        <source>December</source>
        <translation>december</translation>
    </message>
    <message>
        <source>Changes since {uitvraag}</source>
        <translation>Wijzigingen sinds {uitvraag}</translation>
    </message>
    <message>
        <source>Compared with the previous delivery {uitvraag} (peildatum {peildatum}, SHA-256 {sha}).</source>
        <translation>Vergeleken met de vorige levering {uitvraag} (peildatum {peildatum}, SHA-256 {sha}).</translation>
    </message>
    <message>
        <source>new</source>
        <translation>nieuw</translation>
    </message>
    <message>
        <source>gone</source>
        <translation>verdwenen</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>gewijzigd</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>ongewijzigd</translation>
    </message>
    <message>
        <source>Kind of change</source>
        <translation>Soort wijziging</translation>
    </message>
    <message>
        <source>Plans</source>
        <translation>Plannen</translation>
    </message>
    <message>
        <source>of which matched by name and geometry (plan id changed)</source>
        <translation>waarvan gekoppeld op naam en geometrie (plan-id veranderd)</translation>
    </message>
    <message>
        <source>Plans counted but not named (the profile keeps them out, now or in the previous delivery): {n}</source>
        <translation>Plannen die meetellen maar niet worden genoemd (het profiel laat ze buiten de levering, nu of in de vorige levering): {n}</translation>
    </message>
    <message>
        <source>Capacity per status group, then and now</source>
        <translation>Capaciteit per statusgroep, toen en nu</translation>
    </message>
    <message>
        <source>then</source>
        <translation>toen</translation>
    </message>
    <message>
        <source>now</source>
        <translation>nu</translation>
    </message>
    <message>
        <source>Delay: {later} dwelling-years later, {earlier} dwelling-years earlier; {realised} dwellings delivered since.</source>
        <translation>Vertraging: {later} woningjaren later, {earlier} woningjaren eerder; {realised} woningen sindsdien gerealiseerd.</translation>
    </message>
    <message>
        <source>Expected delivery per year, then and now</source>
        <translation>Verwachte oplevering per jaar, toen en nu</translation>
    </message>
    <message>
        <source>Plans per kind of change</source>
        <translation>Plannen per soort wijziging</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>Wat veranderde</translation>
    </message>
    <message>
        <source>none</source>
        <translation>geen</translation>
    </message>
    <message>
        <source>geometry</source>
        <translation>geometrie</translation>
    </message>
    <message>
        <source>geometry moved</source>
        <translation>geometrie verplaatst</translation>
    </message>
    <message>
        <source>area</source>
        <translation>oppervlakte</translation>
    </message>
    <message>
        <source>hard/soft</source>
        <translation>hard/zacht</translation>
    </message>
    <message>
        <source>phasing</source>
        <translation>fasering</translation>
    </message>
    <message>
        <source>{n} dwelling-years later</source>
        <translation>{n} woningjaren later</translation>
    </message>
    <message>
        <source>{n} dwelling-years earlier</source>
        <translation>{n} woningjaren eerder</translation>
    </message>
    <message>
        <source>Validation report of the delivery to the province of {provincie}</source>
        <translation>Validatierapport levering aan de provincie {provincie}</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Bestand</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formaat</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Uitvraag</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Gemaakt</translation>
    </message>
    <message>
        <source>Concept delivery: there are errors.</source>
        <translation>Conceptlevering: er zijn fouten.</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Bevindingen</translation>
    </message>
    <message>
        <source>No findings.</source>
        <translation>Geen bevindingen.</translation>
    </message>
    <message>
        <source>Plans whose split over years and categories was computed (not recorded)</source>
        <translation>Plannen waarvan de verdeling over jaren en categorieën is berekend (niet vastgelegd)</translation>
    </message>
    <message>
        <source>Every cell is a whole number of 0 or more; per year and per category the cells add up exactly to the plan's numbers.</source>
        <translation>Elke cel is een heel getal van 0 of meer; per jaar en per categorie tellen de cellen exact op tot de aantallen van het plan.</translation>
    </message>
    <message>
        <source>Plans whose numbers do not add up: the year totals are in 'unknown'</source>
        <translation>Plannen waarvan de aantallen niet optellen: de jaartotalen staan in 'onbekend'</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Ernst</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Melding</translation>
    </message>
    <message>
        <source>Findings of plans not delivered, per rule</source>
        <translation>Bevindingen van plannen die niet geleverd worden, per regel</translation>
    </message>
    <message>
        <source>fill in {label}.</source>
        <translation>vul {label} in.</translation>
    </message>
    <message>
        <source>the plugin has no source for it.</source>
        <translation>de plugin heeft er geen bron voor.</translation>
    </message>
</context>
<context>
    <name>Style</name>
    <message>
        <source>Completed</source>
        <translation>Gerealiseerd</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Vervallen</translation>
    </message>
    <message>
        <source>hard</source>
        <translation>hard</translation>
    </message>
    <message>
        <source>soft</source>
        <translation>zacht</translation>
    </message>
    <message>
        <source>not delivered</source>
        <translation>niet leveren</translation>
    </message>
    <message>
        <source>no or unknown planning status</source>
        <translation>zonder of onbekende planstatus</translation>
    </message>
    <message>
        <source>dw.</source>
        <translation>won.</translation>
    </message>
</context>
<context>
    <name>Geometry</name>
    <message>
        <source>point</source>
        <translation>punt</translation>
    </message>
    <message>
        <source>line</source>
        <translation>lijn</translation>
    </message>
    <message>
        <source>linear ring</source>
        <translation>lijnring</translation>
    </message>
    <message>
        <source>polygon</source>
        <translation>vlak</translation>
    </message>
    <message>
        <source>multipoint</source>
        <translation>multipunt</translation>
    </message>
    <message>
        <source>multiline</source>
        <translation>multilijn</translation>
    </message>
    <message>
        <source>multipolygon</source>
        <translation>multivlak</translation>
    </message>
    <message>
        <source>geometry collection</source>
        <translation>geometrieverzameling</translation>
    </message>
    <message>
        <source>Self-intersection</source>
        <translation>zelfdoorsnijding</translation>
    </message>
    <message>
        <source>Ring Self-intersection</source>
        <translation>ring snijdt zichzelf</translation>
    </message>
    <message>
        <source>Too few points in geometry component</source>
        <translation>te weinig punten</translation>
    </message>
    <message>
        <source>Interior is disconnected</source>
        <translation>binnenkant niet samenhangend</translation>
    </message>
    <message>
        <source>Hole lies outside shell</source>
        <translation>gat ligt buiten de buitenrand</translation>
    </message>
    <message>
        <source>Nested holes</source>
        <translation>geneste gaten</translation>
    </message>
    <message>
        <source>Holes are nested</source>
        <translation>geneste gaten</translation>
    </message>
    <message>
        <source>Nested shells</source>
        <translation>geneste buitenranden</translation>
    </message>
    <message>
        <source>Invalid Coordinate</source>
        <translation>ongeldige coördinaat</translation>
    </message>
    <message>
        <source>Ring is not closed</source>
        <translation>ring is niet gesloten</translation>
    </message>
    <message>
        <source>Duplicate Rings</source>
        <translation>dubbele ringen</translation>
    </message>
</context>
</TS>