package central

import (
	"strings"

	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// tr returns a label in the workspace's language, formatted with args
// when given. A missing key shows as itself, which tests catch.
func (c *Workspace) tr(key string, args ...any) string { return texts.Tr(c.lang, key, args...) }

// count writes n and a noun in the form n takes: "1 registro", "3 registros".
func (c *Workspace) count(n int, key string) string { return texts.Count(c.lang, n, key) }

// points writes signed points with their noun: "+1 punto", "-6 puntos".
func (c *Workspace) points(p int) string {
	return fmtPoints(p) + " " + texts.Noun(c.lang, p, "unit.point")
}

// num formats n with the language's thousands separator: 12.345 or 12,345.
func (c *Workspace) num(n int) string { return kit.Num(n, c.lang) }

// outcomeText names an outcome result of a record kind, in the kind's
// grammatical gender (una sesión rechazada, un certificado rechazado).
func (c *Workspace) outcomeText(kind, result string) string {
	if kind == wire.KindSession || kind == wire.KindAttendance {
		return c.tr("resultF." + result)
	}
	return c.tr("result." + result)
}

// filterText names a result in the records filter.
func (c *Workspace) filterText(result string) string { return c.tr("filter." + result) }

// kindText names a record kind.
func (c *Workspace) kindText(kind string) string { return c.tr("kind." + kind) }

// flagsText names a batch's flags.
func (c *Workspace) flagsText(flags []string) string {
	out := make([]string, len(flags))
	for i, f := range flags {
		out[i] = c.tr("flag." + f)
	}
	return strings.Join(out, ", ")
}

// texts holds the workspace's labels.
var texts = kit.Labels{
	// Nouns with a count (kit.Labels.Count): singular|plural.
	"unit.point":      {"punto|puntos", "point|points"},
	"unit.record":     {"registro|registros", "record|records"},
	"unit.accepted":   {"aceptado|aceptados", "accepted|accepted"},
	"unit.duplicate":  {"duplicado|duplicados", "duplicate|duplicates"},
	"unit.conflict":   {"en conflicto|en conflicto", "in conflict|in conflict"},
	"unit.rejected":   {"rechazado|rechazados", "rejected|rejected"},
	"unit.resolved":   {"resuelto|resueltos", "resolved|resolved"},
	"unit.session":    {"sesión|sesiones", "session|sessions"},
	"unit.attendance": {"asistencia|asistencias", "attendance|attendances"},
	"unit.attendee":   {"asistente|asistentes", "attendee|attendees"},
	"unit.person":     {"persona|personas", "person|people"},
	"unit.agent":      {"agente|agentes", "person|people"},
	"unit.pointsYear": {"%s punto este año|%s puntos este año", "%s point this year|%s points this year"},

	"central.title":        {"Puntos — Equipo central", "Puntos — Central staff"},
	"central.who":          {"%s · %s · %s", "%s · %s · %s"},
	"central.allProvinces": {"todas las provincias", "every province"},
	"central.logout":       {"Salir", "Log out"},
	"central.more":         {"Más…", "More…"},
	"central.refresh":      {"Actualizar", "Refresh"},
	"central.loading":      {"Cargando…", "Loading…"},
	"central.saved":        {"Guardado: %s", "Saved: %s"},
	"central.allOption":    {"Todas", "All"},
	"dialog.cancel":        {"Cancelar", "Cancel"},

	"login.title":      {"Ingresar al registro central", "Log in to the central registry"},
	"login.intro":      {"Usá tu cuenta del equipo central (la crea quien administra el registro con «puntos-registry staff add»).", "Use your central staff account (the registry's administrator creates it with “puntos-registry staff add”)."},
	"login.url":        {"Dirección del registro", "Registry address"},
	"login.user":       {"Usuario", "User name"},
	"login.userHint":   {"por ejemplo central", "for example central"},
	"login.password":   {"Contraseña", "Password"},
	"login.submit":     {"Ingresar", "Log in"},
	"login.missing":    {"Escribí el usuario y la contraseña.", "Type the user name and the password."},
	"login.connecting": {"Conectando…", "Connecting…"},
	"login.loggedOut":  {"Saliste del espacio del equipo central.", "You logged out."},

	"role.admin":    {"administración", "admin"},
	"role.reviewer": {"revisión", "reviewer"},
	"role.viewer":   {"consulta", "viewer"},

	"tab.inbox":           {"Bandeja", "Inbox"},
	"tab.review":          {"Revisión", "Review"},
	"tab.people":          {"Personas", "People"},
	"tab.compliance":      {"Cumplimiento", "Compliance"},
	"tab.impact":          {"Impacto", "Impact"},
	"impact.pick":         {"Elegí el año y la provincia y tocá Mostrar.", "Pick the year and the province and tap Show."},
	"impact.people":       {"Personas capacitadas: %s", "People trained: %s"},
	"impact.sessions":     {"Sesiones: %s", "Sessions: %s"},
	"impact.hours":        {"Horas-persona: %s", "Person-hours: %s"},
	"impact.points":       {"Puntos otorgados: %s", "Points awarded: %s"},
	"impact.change":       {"%s respecto de %d", "%s from %d"},
	"impact.shares":       {"En línea (virtual o híbrida): %s · presencial: %s", "Online (virtual or hybrid): %s · in person: %s"},
	"impact.reach":        {"Alcance: %d provincias y %d municipios", "Reach: %d provinces and %d municipalities"},
	"impact.survey":       {"Encuestas (%d respuestas). Valor de la clase: %s. Uso de lo aprendido: %s.", "Surveys (%d answers). Value of the class: %s. Use of what was learned: %s."},
	"impact.surveyHidden": {"Encuestas: %d respuestas; los resultados se muestran desde 5.", "Surveys: %d answers; results show from 5."},
	"impact.months":       {"Asistencias por mes", "Attendances by month"},
	"impact.map":          {"Municipios alcanzados", "Municipalities reached"},
	"impact.places":       {"Municipios con más asistencias", "Municipalities with most attendances"},
	"impact.place":        {"%s (%s): %s", "%s (%s): %s"},
	"tab.devices":         {"Equipos", "Devices"},

	"result.accepted":     {"aceptado", "accepted"},
	"result.duplicate":    {"duplicado", "duplicate"},
	"result.conflict":     {"en conflicto", "conflict"},
	"result.rejected":     {"rechazado", "rejected"},
	"resultF.accepted":    {"aceptada", "accepted"},
	"resultF.duplicate":   {"duplicada", "duplicate"},
	"resultF.conflict":    {"en conflicto", "conflict"},
	"resultF.rejected":    {"rechazada", "rejected"},
	"filter.accepted":     {"Aceptados", "Accepted"},
	"filter.duplicate":    {"Duplicados", "Duplicates"},
	"filter.conflict":     {"En conflicto", "Conflicts"},
	"filter.rejected":     {"Rechazados", "Rejected"},
	"kind.session":        {"Sesión", "Session"},
	"kind.attendance":     {"Asistencia", "Attendance"},
	"kind.person":         {"Agente nuevo", "Walk-in"},
	"kind.certificate":    {"Certificado", "Certificate"},
	"flag.clock_skew":     {"reloj del equipo desfasado", "device clock off"},
	"flag.late_report":    {"informado tarde", "reported late"},
	"flag.future_session": {"sesión con fecha futura", "session dated ahead"},

	"inbox.batches":     {"Lotes recibidos", "Batches received"},
	"inbox.onlyOpen":    {"Solo lotes con registros por revisar", "Only batches with records to review"},
	"inbox.empty":       {"No hay lotes para mostrar.", "No batches to show."},
	"inbox.batchLine":   {"%s · %s (%s) · %s", "%s · %s (%s) · %s"},
	"inbox.countsLine":  {"%s: %s · %s · %s · %s", "%s: %s · %s · %s · %s"},
	"inbox.openLine":    {"%d por revisar", "%d to review"},
	"inbox.flagsLine":   {"Marcas: %s", "Flags: %s"},
	"inbox.pickBatch":   {"Elegí un lote para ver sus registros, o buscá registros con los filtros.", "Pick a batch to see its records, or search records with the filters."},
	"inbox.batchTitle":  {"Lote de %s", "Batch from %s"},
	"inbox.batchFrom":   {"Recibido el %s de %s (%s, %s) por %s", "Received on %s from %s (%s, %s) over %s"},
	"inbox.source.http": {"internet", "the internet"},
	"inbox.source.usb":  {"pendrive", "USB stick"},
	"inbox.search":      {"Buscar registros", "Search records"},
	"inbox.searchTitle": {"Registros encontrados: %s", "Records found: %s"},
	"inbox.result":      {"Resultado", "Result"},
	"inbox.kind":        {"Tipo", "Kind"},
	"inbox.province":    {"Provincia", "Province"},
	"inbox.office":      {"Oficina", "Office"},
	"inbox.from":        {"Desde (dd/mm/aaaa)", "From (dd/mm/yyyy)"},
	"inbox.to":          {"Hasta (dd/mm/aaaa)", "To (dd/mm/yyyy)"},
	"inbox.badDate":     {"Escribí la fecha como dd/mm/aaaa o elegila en el calendario.", "Type the date as dd/mm/yyyy or pick it in the calendar."},
	"inbox.noRecords":   {"No hay registros con esos filtros.", "No records match those filters."},
	"inbox.recordLine":  {"%s %s · %s", "%s %s · %s"},
	"inbox.resolved":    {"resuelto: %s", "resolved: %s"},
	"inbox.toReview":    {"por revisar: tocá para ver las dos versiones", "to review: tap to see both versions"},
	"decision.accept":   {"aceptado", "accepted"},
	"decision.reject":   {"rechazado", "rejected"},

	"review.empty":        {"Elegí un registro en conflicto o rechazado en la bandeja para revisarlo.", "Pick a conflicting or rejected record in the inbox to review it."},
	"review.title":        {"%s %s — %s", "%s %s — %s"},
	"review.from":         {"Enviado por %s · %s (%s) · recibido el %s", "Sent by %s · %s (%s) · received on %s"},
	"review.batch":        {"Lote %s · registro %s", "Batch %s · record %s"},
	"review.field":        {"Campo", "Field"},
	"review.stored":       {"En el registro", "In the registry"},
	"review.incoming":     {"Recibido", "Received"},
	"review.corrected":    {"Corregido (editable)", "Corrected (editable)"},
	"review.conflictHelp": {"El registro conserva su versión. Aceptá la recibida si es la correcta (queda guardada la anterior y los puntos se ajustan con asientos nuevos) o rechazala.", "The registry keeps its version. Accept the received one if it is right (the earlier one is kept and points are adjusted with new entries) or reject it."},
	"review.rejectedHelp": {"Corregí lo que haga falta en la columna de la derecha y aceptalo, o rechazalo con un motivo.", "Correct what is needed in the right column and accept it, or reject it with a reason."},
	"review.onlyReject":   {"Este conflicto solo se puede rechazar.", "This conflict can only be rejected."},
	"review.reason":       {"Motivo (queda en el registro de auditoría)", "Reason (kept in the audit log)"},
	"review.accept":       {"Aceptar", "Accept"},
	"review.reject":       {"Rechazar", "Reject"},
	"review.done":         {"Resuelto: %s por %s el %s. Motivo: %s", "Resolved: %s by %s on %s. Reason: %s"},
	"review.ledger":       {"Asientos nuevos: %s", "New entries: %s"},
	"review.cascaded1":    {"También se aceptó 1 registro que esperaba por este.", "1 record that waited for this one was accepted too."},
	"review.cascadedN":    {"También se aceptaron %s registros que esperaban por este.", "%s records that waited for this one were accepted too."},
	"review.accepted":     {"Registro aceptado.", "Record accepted."},
	"review.rejected":     {"Registro rechazado.", "Record rejected."},
	"review.viewOnly":     {"Tu cuenta es de consulta: no puede resolver registros.", "Your account is view-only: it cannot resolve records."},

	"staff.activityUnknown": {"La actividad %q no está en el catálogo del registro: corregí el código en la columna de la derecha, o cargá la actividad en el catálogo y aceptalo.", "Activity %q is not in the registry's catalog: correct the code in the right column, or add the activity to the catalog and accept it."},
	"staff.provinceUnknown": {"No se reconoce la provincia %q de la sesión: corregila en la columna de la derecha.", "The session's province %q is not recognised: correct it in the right column."},
	"staff.municipality":    {"Falta el municipio o la localidad de la sesión: completalo en la columna de la derecha.", "The session's municipality or town is missing: fill it in in the right column."},
	"staff.timeOrder":       {"La hora de fin de la sesión es anterior a la de inicio: corregí una de las dos en la columna de la derecha.", "The session ends before it starts: correct one of the times in the right column."},
	"staff.sessionFuture":   {"La fecha de la sesión es posterior a hoy (el reloj del equipo puede estar mal): corregí la fecha en la columna de la derecha.", "The session is dated after today (the device's clock may be wrong): correct the date in the right column."},
	"staff.sessionRejected": {"La sesión de esta asistencia fue rechazada: resolvé la sesión y esta asistencia se acepta con ella.", "This attendance's session was rejected: resolve the session and this attendance is accepted with it."},
	"review.showIDs":        {"Mostrar identificadores", "Show IDs"},
	"review.badDate":        {"Escribí la fecha como dd/mm/aaaa, por ejemplo 19/03/2026.", "Type the date as dd/mm/yyyy, for example 19/03/2026."},
	"review.badTime":        {"Escribí fecha y hora como dd/mm/aaaa hh:mm (hora de Argentina), por ejemplo 19/03/2026 10:30.", "Type date and time as dd/mm/yyyy hh:mm (Argentina's time), for example 19/03/2026 10:30."},
	"review.badChoice":      {"Elegí uno de estos valores: %s.", "Use one of these values: %s."},
	"review.applied":        {"Aplicado", "Applied"},
	"review.resolvedTitle":  {"%s %s por el equipo central", "%s %s by central staff"},
	"method.typed":          {"DNI escrito", "DNI typed"},
	"method.search":         {"Búsqueda por nombre", "Name search"},
	"method.scan":           {"DNI escaneado", "DNI scanned"},
	"method.import":         {"Importado del informe de la plataforma", "Imported from the platform's report"},
	"method.walk-in":        {"Sin inscripción previa", "Walk-in"},
	"status.presente":       {"Presente", "Present"},
	"status.tarde":          {"Tarde", "Late"},
	"status.justificado":    {"Justificado", "Excused"},
	"status.ausente":        {"Ausente", "Absent"},
	"modality.presencial":   {"Presencial", "In person"},
	"modality.virtual":      {"Virtual", "Online"},

	"field.id":           {"ID", "ID"},
	"field.activity":     {"Actividad", "Activity"},
	"field.date":         {"Fecha", "Date"},
	"field.start":        {"Inicio", "Start"},
	"field.end":          {"Fin", "End"},
	"field.province":     {"Provincia", "Province"},
	"field.municipality": {"Municipio", "Municipality"},
	"field.venue":        {"Lugar", "Venue"},
	"field.instructor":   {"Instructor/a", "Instructor"},
	"field.modality":     {"Modalidad", "Modality"},
	"field.closed_at":    {"Cerrada el", "Closed on"},
	"field.session":      {"Sesión", "Session"},
	"field.dni":          {"DNI", "DNI"},
	"field.status":       {"Estado", "Status"},
	"field.method":       {"Forma de registro", "Check-in method"},
	"field.at":           {"Hora", "Time"},
	"field.cuil":         {"CUIL", "CUIL"},
	"field.surname":      {"Apellido", "Surname"},
	"field.given_names":  {"Nombres", "Given names"},
	"field.agency":       {"Organismo", "Agency"},
	"field.email":        {"Correo", "Email"},
	"field.sex":          {"Sexo", "Sex"},
	"field.birth":        {"Nacimiento", "Birth date"},
	"field.code":         {"Código", "Code"},
	"field.attendance":   {"Asistencia", "Attendance"},
	"field.kind":         {"Tipo", "Kind"},
	"field.issued_at":    {"Emitido", "Issued"},

	"people.search":       {"Buscar por DNI, CUIL o nombre", "Search by DNI, CUIL or name"},
	"people.searchButton": {"Buscar", "Search"},
	"people.none":         {"Nadie coincide.", "Nobody matches."},
	"people.result":       {"%s · DNI %s · %s · %s · %s", "%s · DNI %s · %s · %s · %s"},
	"people.pick":         {"Buscá a una persona para ver sus puntos.", "Search for a person to see their points."},
	"people.header":       {"DNI %s · CUIL %s · %s · %s", "DNI %s · CUIL %s · %s · %s"},
	"people.year":         {"%d: %d de %d puntos", "%d: %d of %d points"},
	"people.yearMissing":  {"falta %s punto|faltan %s", "%s point missing|%s missing"},
	"people.yearDone":     {"requisito cumplido", "requirement met"},
	"people.noEntries":    {"Todavía no tiene puntos en el registro.", "No points in the registry yet."},
	"people.entry":        {"%s · %s · %s", "%s · %s · %s"},
	"people.credit":       {"Nº %d · enviado por %s (%s)", "No. %d · sent by %s (%s)"},
	"people.creditStaff":  {"Nº %d · acreditado por %s: %s", "No. %d · credited by %s: %s"},
	"people.reversal":     {"Nº %d · reversión del %d por %s: %s", "No. %d · reversal of %d by %s: %s"},
	"people.reversed":     {"revertido (Nº %d)", "reversed (No. %d)"},
	"people.reverse":      {"Revertir…", "Reverse…"},
	"people.reverseAsk":   {"¿Revertir el asiento Nº %d (%s)? Se agrega un asiento con los puntos en contra; no se borra nada.", "Reverse entry No. %d (%s)? An entry with the opposite points is added; nothing is deleted."},
	"people.reverseOK":    {"Asiento revertido.", "Entry reversed."},
	"people.statement":    {"Constancia oficial %d (PDF)…", "Official statement %d (PDF)…"},
	"people.certs":        {"Certificados", "Certificates"},
	"people.noCerts":      {"No tiene certificados en el registro.", "No certificates in the registry."},
	"people.cert":         {"%s · %s · %s", "%s · %s · %s"},
	"cert.genuine":        {"auténtico", "genuine"},
	"cert.revoked":        {"revocado el %s: %s", "revoked on %s: %s"},
	"cert.title":          {"Revocar un certificado", "Revoke a certificate"},
	"cert.code":           {"Código del certificado", "Certificate code"},
	"cert.check":          {"Verificar", "Check"},
	"cert.revoke":         {"Revocar…", "Revoke…"},
	"cert.revokeAsk":      {"¿Revocar el certificado %s? Su página de verificación dirá que fue revocado, cuándo y por qué.", "Revoke certificate %s? Its verification page will say it was revoked, when and why."},
	"cert.revokeConfirm":  {"Revocar", "Revoke"},
	"cert.status":         {"%s: %s · %s · %s", "%s: %s · %s · %s"},
	"reason.hint":         {"Motivo", "Reason"},
	"reason.missing":      {"Escribí el motivo: queda en el registro de auditoría.", "Type the reason: it is kept in the audit log."},
	"reverse.confirm":     {"Revertir", "Reverse"},
	"statement.issuer":    {"Registro central de puntos", "Registro central de puntos"},
	"statement.credit":    {"acreditado", "acreditado"},
	"statement.reversal":  {"revertido", "revertido"},

	"compliance.year":         {"Año", "Year"},
	"compliance.province":     {"Provincia", "Province"},
	"compliance.show":         {"Ver informe", "Show report"},
	"compliance.pick":         {"Elegí el año y tocá «Ver informe».", "Choose the year and tap “Show report”."},
	"compliance.summary":      {"%s · %s con menos de %d puntos (%s %%)", "%s · %s under %d points (%s %%)"},
	"compliance.chart":        {"Puntos otorgados por provincia", "Points awarded by province"},
	"compliance.groups":       {"Por provincia y organismo", "By province and agency"},
	"compliance.group":        {"%s — %s: %s de %s debajo del mínimo", "%s — %s: %s of %s under the minimum"},
	"compliance.places":       {"Por provincia y municipio", "By province and municipality"},
	"compliance.place":        {"%s — %s: %s · %s · %s", "%s — %s: %s · %s · %s"},
	"compliance.exportPeople": {"Personas debajo del mínimo (CSV)…", "People under the minimum (CSV)…"},
	"compliance.exportGroups": {"Totales por organismo (CSV)…", "Totals by agency (CSV)…"},
	"compliance.exportPlaces": {"Totales por municipio (CSV)…", "Totals by municipality (CSV)…"},
	"compliance.exportPDF":    {"Informe completo (PDF)…", "Full report (PDF)…"},
	"compliance.exporting":    {"Exportando…", "Exporting…"},
	"compliance.exported":     {"Guardado: %s (%s)", "Saved: %s (%s)"},
	"compliance.badYear":      {"Escribí un año válido, por ejemplo %d.", "Type a valid year, for example %d."},
	"compliance.noProvince":   {"Sin provincia", "No province"},
	"compliance.noAgency":     {"Sin organismo", "No agency"},

	"devices.title":         {"Equipos dados de alta", "Enrolled devices"},
	"devices.none":          {"No hay equipos dados de alta.", "No enrolled devices."},
	"devices.line":          {"%s · %s (%s)", "%s · %s (%s)"},
	"devices.detail":        {"Alta: %s · Última sincronización: %s · %s", "Enrolled: %s · Last sync: %s · %s"},
	"devices.active":        {"activo", "active"},
	"devices.revoked":       {"dado de baja el %s: %s", "revoked on %s: %s"},
	"devices.revoke":        {"Dar de baja…", "Revoke…"},
	"devices.revokeAsk":     {"¿Dar de baja el equipo %s (%s)? Su token deja de servir; lo que tenga sin enviar se conserva en el equipo.", "Revoke device %s (%s)? Its token stops working; what it has not sent stays on it."},
	"devices.revokeConfirm": {"Dar de baja", "Revoke"},
	"devices.revokedOK":     {"Equipo dado de baja.", "Device revoked."},
	"devices.newCode":       {"Nuevo código de alta", "New enrollment code"},
	"devices.office":        {"Oficina", "Office"},
	"devices.province":      {"Provincia", "Province"},
	"devices.create":        {"Crear código", "Create code"},
	"devices.code":          {"Código para %s (%s): sirve una vez y vence el %s. En el equipo: Ajustes → Registro, escaneá el QR o escribilo.", "Code for %s (%s): works once and expires on %s. On the device: Settings → Registry, scan the QR or type it."},
	"devices.adminOnly":     {"Crear códigos y dar de baja equipos necesita una cuenta de administración.", "Creating codes and revoking devices needs an admin account."},
	"devices.missing":       {"Escribí la oficina y elegí la provincia.", "Type the office and choose the province."},
}
