package ui

import "fmt"

// text is a label in Spanish (es-AR, the default) and English.
type text struct{ es, en string }

// tr returns the label for key in the app's language, formatted with args
// when given. A missing key shows as itself, which tests catch.
func (a *App) tr(key string, args ...any) string {
	t, ok := texts[key]
	if !ok {
		return key
	}
	s := t.es
	if a.lang == "en" {
		s = t.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// texts holds every label of the app.
var texts = map[string]text{
	// Navigation and dialogs.
	"nav.sessions":      {"Sesiones", "Sessions"},
	"nav.roster":        {"Padrón", "Roster"},
	"nav.settings":      {"Ajustes", "Settings"},
	"nav.about":         {"Acerca de Puntos", "About Puntos"},
	"dialog.cancel":     {"Cancelar", "Cancel"},
	"dialog.close":      {"Cerrar", "Close"},
	"dialog.errorTitle": {"No se pudo completar", "Could not complete"},

	// Status bar.
	"status.pendingOne":     {"1 sesión por sincronizar", "1 session waiting to sync"},
	"status.pendingMany":    {"%s sesiones por sincronizar", "%s sessions waiting to sync"},
	"status.nothingPending": {"Todo sincronizado: ninguna sesión pendiente", "All synced: no sessions waiting"},
	"status.pendingUnknown": {"No se pudo leer qué falta sincronizar", "Could not read what waits to sync"},
	"status.peopleOne":      {"1 agente en el padrón", "1 person on the roster"},
	"status.peopleMany":     {"%s agentes en el padrón", "%s people on the roster"},
	"status.syncNow":        {"Sincronizar ahora", "Sync now"},
	"status.syncing":        {"Sincronizando…", "Syncing…"},
	"status.neverSynced":    {"Todavía no se sincronizó", "Not synced yet"},
	"status.lastSync":       {"Última sincronización: %s", "Last sync: %s"},

	// Attendance statuses.
	"status.presente":    {"Presente", "Present"},
	"status.tarde":       {"Tarde", "Late"},
	"status.justificado": {"Justificado", "Excused"},
	"status.ausente":     {"Ausente", "Absent"},

	// Session states.
	"state.open":     {"Abierta", "Open"},
	"state.waiting":  {"Por sincronizar", "Waiting to sync"},
	"state.synced":   {"Sincronizada", "Synced"},
	"state.rejected": {"Con observaciones", "Needs review"},

	// Session list.
	"sessions.title":         {"Sesiones", "Sessions"},
	"sessions.new":           {"Nueva sesión (Ctrl+N)", "New session (Ctrl+N)"},
	"sessions.show":          {"Mostrar:", "Show:"},
	"sessions.filterAll":     {"Todas", "All"},
	"sessions.filterOpen":    {"Abiertas", "Open"},
	"sessions.filterClosed":  {"Cerradas", "Closed"},
	"sessions.filterWaiting": {"Por sincronizar", "Waiting to sync"},
	"sessions.empty":         {"No hay sesiones para mostrar. Creá una con «Nueva sesión».", "No sessions to show. Create one with “New session”."},
	"sessions.today":         {"Hoy", "Today"},
	"sessions.from":          {"desde las %s", "from %s"},
	"sessions.noTime":        {"sin horario", "no time set"},
	"sessions.attendeesOne":  {"1 asistente", "1 attendee"},
	"sessions.attendeesMany": {"%s asistentes", "%s attendees"},

	// New session form.
	"form.title":               {"Nueva sesión", "New session"},
	"form.intro":               {"Completá los datos del encuentro. Los campos con problemas se marcan antes de guardar.", "Fill in the session's details. Fields with problems are flagged before saving."},
	"form.activity":            {"Actividad *", "Activity *"},
	"form.activityHint":        {"Escribí parte del título o el código (por ejemplo «GDE»)", "Type part of the title or the code (for example “GDE”)"},
	"form.activityNone":        {"Elegí una actividad del catálogo.", "Pick an activity from the catalog."},
	"form.activityNoMatch":     {"Ninguna actividad del catálogo coincide.", "No activity in the catalog matches."},
	"form.activityPick":        {"↑↓ para elegir, Enter para confirmar.", "↑↓ to choose, Enter to confirm."},
	"form.activityChosen":      {"Tipo: %s · %s h · %d puntos · %d encuentro(s)", "Type: %s · %s h · %d points · %d session(s)"},
	"form.date":                {"Fecha *", "Date *"},
	"form.datePlaceholder":     {"DD/MM/AAAA", "DD/MM/YYYY"},
	"form.start":               {"Inicio", "Start"},
	"form.end":                 {"Fin", "End"},
	"form.province":            {"Provincia *", "Province *"},
	"form.provincePlaceholder": {"Elegí la provincia", "Choose the province"},
	"form.municipality":        {"Municipio o localidad *", "Municipality or town *"},
	"form.municipalityHint":    {"Escribí para ver sugerencias; se acepta otro nombre", "Type to see suggestions; any name is accepted"},
	"form.venue":               {"Lugar", "Venue"},
	"form.venuePlaceholder":    {"Por ejemplo «Centro Cultural Municipal»", "For example “Municipal Cultural Centre”"},
	"form.instructor":          {"Instructor/a", "Instructor"},
	"form.modality":            {"Modalidad", "Modality"},
	"form.save":                {"Crear sesión", "Create session"},
	"form.cancel":              {"Cancelar", "Cancel"},
	"form.errActivity":         {"Elegí la actividad: escribí parte del título o el código.", "Choose the activity: type part of its title or code."},
	"form.errActivityPick":     {"Esa actividad no está en el catálogo: elegila de la lista de sugerencias.", "That activity is not in the catalog: pick it from the suggestions."},
	"form.errEndBeforeStart":   {"La hora de fin debe ser posterior a la de inicio (%s).", "The end time must be after the start time (%s)."},
	"form.errProvince":         {"Elegí la provincia de la sesión.", "Choose the session's province."},
	"form.errMunicipality":     {"Escribí el municipio o la localidad de la sesión.", "Type the session's municipality or town."},
	"form.errTooLong":          {"Este campo supera los 200 caracteres.", "This field is longer than 200 characters."},
	"modality.presencial":      {"Presencial", "In person"},
	"modality.virtual":         {"Virtual", "Online"},

	// Check-in.
	"checkin.back":              {"Sesiones", "Sessions"},
	"checkin.close":             {"Cerrar sesión", "Close session"},
	"checkin.loading":           {"Cargando…", "Loading…"},
	"checkin.loadFailed":        {"No se pudo cargar la sesión", "Could not load the session"},
	"checkin.inputLabel":        {"Registrar asistencia", "Check in"},
	"checkin.placeholder":       {"DNI, CUIL o apellido", "DNI, CUIL or surname"},
	"checkin.hint":              {"Escaneá el DNI o escribí y presioná Enter · ↑↓ elegir · Esc borrar · F10 cerrar la sesión", "Scan the DNI, or type and press Enter · ↑↓ choose · Esc clear · F10 close the session"},
	"checkin.alreadyTag":        {"Ya registrado/a (%s)", "Already checked in (%s)"},
	"checkin.scanning":          {"Código de DNI escaneado: se registra con Enter", "DNI barcode scanned: Enter records it"},
	"checkin.ready":             {"Listo para registrar", "Ready to check in"},
	"checkin.readyDetail":       {"Escaneá el DNI o escribí el número o el apellido y presioná Enter.", "Scan the DNI, or type the number or the surname and press Enter."},
	"checkin.ok":                {"Presente", "Present"},
	"checkin.walkInOK":          {"Presente (sin inscripción previa)", "Present (walk-in)"},
	"checkin.already":           {"Ya estaba registrado/a", "Already checked in"},
	"checkin.alreadyDetail":     {"Registrado/a a las %s como %s. No se cambió nada.", "Checked in at %s as %s. Nothing changed."},
	"checkin.unknown":           {"No está en el padrón", "Not on the roster"},
	"checkin.unknownDetail":     {"Completá sus datos para registrarlo/a sin inscripción previa.", "Fill in their details to add them as a walk-in."},
	"checkin.noMatch":           {"Nadie en el padrón coincide", "Nobody on the roster matches"},
	"checkin.noMatchDetail":     {"Probá con el DNI o escaneá el documento.", "Try the DNI or scan the card."},
	"checkin.invalid":           {"Revisá lo ingresado", "Check what was entered"},
	"checkin.failed":            {"No se registró", "Nothing was recorded"},
	"checkin.statusChanged":     {"Estado cambiado a %s", "Status changed to %s"},
	"checkin.removed":           {"Se quitó de la sesión", "Removed from the session"},
	"checkin.noResults":         {"Sin coincidencias en el padrón", "No matches on the roster"},
	"checkin.oneResult":         {"1 coincidencia: Enter la registra", "1 match: Enter checks it in"},
	"checkin.results":           {"%d coincidencias: Enter registra la resaltada", "%d matches: Enter checks in the highlighted one"},
	"checkin.counter":           {"Asistentes: %s", "Attendees: %s"},
	"checkin.present1":          {"1 presente", "1 present"},
	"checkin.presentN":          {"%s presentes", "%s present"},
	"checkin.late1":             {"1 tarde", "1 late"},
	"checkin.lateN":             {"%s tarde", "%s late"},
	"checkin.excused1":          {"1 justificado", "1 excused"},
	"checkin.excusedN":          {"%s justificados", "%s excused"},
	"checkin.absent1":           {"1 ausente", "1 absent"},
	"checkin.absentN":           {"%s ausentes", "%s absent"},
	"checkin.walkIns1":          {"1 sin inscripción previa", "1 walk-in"},
	"checkin.walkInsN":          {"%s sin inscripción previa", "%s walk-ins"},
	"checkin.closedAt":          {"Cerrada el %s a las %s. Se puede consultar pero no modificar.", "Closed on %s at %s. It can be viewed but not changed."},
	"checkin.noneYet":           {"Todavía no hay nadie registrado.", "Nobody has checked in yet."},
	"checkin.colName":           {"Nombre", "Name"},
	"checkin.colNameAgency":     {"Nombre y organismo", "Name and agency"},
	"checkin.colDNI":            {"DNI", "DNI"},
	"checkin.colAgency":         {"Organismo", "Agency"},
	"checkin.colStatus":         {"Estado", "Status"},
	"checkin.colTime":           {"Hora", "Time"},
	"checkin.walkInTag":         {"sin inscripción previa", "walk-in"},
	"checkin.closedBadge":       {"Sesión cerrada", "Session closed"},
	"checkin.closedPlaceholder": {"Sesión cerrada: solo lectura", "Session closed: read-only"},
	"checkin.closedHint":        {"La sesión está cerrada: se puede consultar pero no modificar.", "The session is closed: it can be viewed but not changed."},

	// Remove and close dialogs.
	"remove.title":    {"Quitar asistencia", "Remove check-in"},
	"remove.question": {"¿Quitar a %s de esta sesión? Usalo solo para corregir un registro equivocado.", "Remove %s from this session? Use it only to fix a mistaken check-in."},
	"remove.confirm":  {"Quitar", "Remove"},
	"close.title":     {"Cerrar sesión", "Close session"},
	"close.confirm":   {"Cerrar sesión", "Close session"},
	"close.present":   {"Presentes", "Present"},
	"close.late":      {"Tarde", "Late"},
	"close.excused":   {"Justificados", "Excused"},
	"close.absent":    {"Ausentes", "Absent"},
	"close.walkIns":   {"Sin inscripción previa", "Walk-ins"},
	"close.total":     {"Total registrados", "Total recorded"},
	"close.note":      {"Al cerrarla, la sesión queda de solo lectura y lista para sincronizar. No se puede reabrir.", "Once closed, the session is read-only and ready to sync. It cannot be reopened."},

	// Walk-in dialog.
	"walkin.title":           {"Agregar asistente sin inscripción previa", "Add a walk-in"},
	"walkin.intro":           {"Esta persona no está en el padrón. Revisá sus datos: se agrega y queda presente.", "This person is not on the roster. Check their details: they are added and marked present."},
	"walkin.dni":             {"DNI *", "DNI *"},
	"walkin.cuil":            {"CUIL", "CUIL"},
	"walkin.cuilPlaceholder": {"Opcional, por ejemplo 20-12345678-6", "Optional, for example 20-12345678-6"},
	"walkin.surname":         {"Apellido *", "Surname *"},
	"walkin.given":           {"Nombres *", "Given names *"},
	"walkin.agency":          {"Organismo", "Agency"},
	"walkin.email":           {"Correo electrónico", "Email"},
	"walkin.save":            {"Agregar y registrar", "Add and check in"},
	"walkin.errScan":         {"Esto parece un DNI escaneado: borralo, terminá este formulario (o cancelalo) y después escaneá a la próxima persona.", "This looks like a scanned DNI: delete it, finish this form (or cancel it), then scan the next person."},

	// Roster.
	"roster.title":        {"Padrón", "Roster"},
	"roster.intro":        {"Buscá agentes por DNI, CUIL o apellido. Importá el padrón en CSV antes de salir de viaje.", "Look people up by DNI, CUIL or surname. Import the roster CSV before travelling."},
	"roster.searchHint":   {"Buscar por DNI, CUIL o apellido", "Search by DNI, CUIL or surname"},
	"roster.colProvince":  {"Provincia", "Province"},
	"roster.import":       {"Importar padrón (CSV)…", "Import roster (CSV)…"},
	"roster.importing":    {"Importando %s…", "Importing %s…"},
	"roster.imported":     {"Importación de %s terminada", "Import of %s finished"},
	"roster.importFailed": {"No se importó %s: el padrón quedó como estaba", "%s was not imported: the roster is unchanged"},
	"roster.summary":      {"%s agregados · %s actualizados · %s sin cambios · %s repetidos · %s rechazados", "%s added · %s updated · %s unchanged · %s repeated · %s rejected"},
	"roster.rejected":     {"Líneas rechazadas", "Rejected lines"},
	"roster.saveReport":   {"Guardar informe…", "Save report…"},
	"roster.line":         {"Línea %d", "Line %d"},
	"roster.emptyRoster":  {"El padrón está vacío: importá el CSV con «Importar padrón».", "The roster is empty: import the CSV with “Import roster”."},
	"roster.typeToSearch": {"Escribí un DNI, un CUIL o un apellido para buscar.", "Type a DNI, a CUIL or a surname to search."},
	"roster.noMatch":      {"Nadie en el padrón coincide.", "Nobody on the roster matches."},
	"roster.cannotOpen":   {"No se pudo abrir %s. Revisá que el archivo exista y se pueda leer.", "Could not open %s. Check that the file exists and can be read."},
	"roster.cannotSave":   {"No se pudo guardar %s. Probá en otra carpeta.", "Could not save %s. Try another folder."},
	"report.line":         {"Línea", "Line"},
	"report.field":        {"Campo", "Field"},
	"report.reason":       {"Motivo", "Reason"},

	// Settings and about.
	"settings.title":        {"Ajustes", "Settings"},
	"settings.language":     {"Idioma", "Language"},
	"settings.languageHint": {"Se recuerda para la próxima vez.", "It is remembered for next time."},
	"settings.dataDir":      {"Carpeta de datos", "Data folder"},
	"settings.dataDirHint":  {"Acá se guardan las sesiones y el padrón. Hacé copias de respaldo de esta carpeta.", "Sessions and the roster are kept here. Back this folder up."},
	"about.description":     {"Asistencia a capacitaciones y puntos para agentes públicos. Funciona sin conexión.", "Training attendance and points for public servants. Works offline."},
	"about.version":         {"Versión %s (compilación %d)", "Version %s (build %d)"},
	"about.versionNoBuild":  {"Versión %s", "Version %s"},
	"about.devVersion":      {"Versión de desarrollo", "Development version"},
}
