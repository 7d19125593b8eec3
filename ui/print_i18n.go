package ui

// The labels of printing (print.go) and the office settings (office.go),
// kept apart from i18n.go so the screens can grow without touching it;
// they join the app's table at start-up.
func init() {
	for k, t := range printTexts {
		texts[k] = t
	}
}

var printTexts = map[string]text{
	// Session screen actions.
	"print.sheet":          {"Imprimir planilla", "Print sheet"},
	"print.certificates":   {"Emitir certificados", "Issue certificates"},
	"print.csv":            {"Exportar CSV", "Export CSV"},
	"print.folder":         {"Se guardan en %s", "Saved in %s"},
	"print.changeFolder":   {"Cambiar carpeta…", "Change folder…"},
	"print.folderTitle":    {"Carpeta para planillas y certificados", "Folder for sheets and certificates"},
	"print.folderInData":   {"Esa carpeta está dentro de la carpeta de datos de Puntos. Elegí otra, por ejemplo Documentos.", "That folder is inside Puntos' data folder. Choose another one, for example Documents."},
	"print.folderSaveFail": {"No se pudo recordar la carpeta elegida; se usa por esta vez.", "Could not remember the chosen folder; it is used this time only."},
	"print.openTitle":      {"La sesión sigue abierta", "The session is still open"},
	"print.openExplain":    {"Los certificados se emiten cuando la sesión está cerrada, para que reflejen la asistencia final. Cerrá la sesión con «Cerrar sesión» y volvé a tocar «Emitir certificados».\n\nLa planilla sí se puede imprimir ahora: sale con quienes ya se registraron y filas en blanco para completar a mano.", "Certificates are issued once the session is closed, so they show the final attendance. Close it with “Close session” and tap “Issue certificates” again.\n\nThe sheet can be printed now: it lists who has checked in so far, with blank rows to fill in by hand."},

	// Progress.
	"print.workingCerts": {"Emitiendo certificados…", "Issuing certificates…"},
	"print.workingSheet": {"Preparando la planilla…", "Preparing the sheet…"},
	"print.workingCSV":   {"Exportando la asistencia…", "Exporting the attendance…"},
	"print.workingNote":  {"Los archivos se guardan en %s", "The files are saved in %s"},

	// Results.
	"print.certsTitle":      {"Certificados emitidos", "Certificates issued"},
	"print.certsNone":       {"Nadie cumple las condiciones para el certificado", "Nobody meets the conditions for a certificate"},
	"print.certsSummary":    {"%s certificados: %s nuevos y %s reimpresos (iguales a los ya emitidos).", "%s certificates: %s new and %s reprinted (identical to the ones issued before)."},
	"print.certsOneNew":     {"1 certificado nuevo.", "1 new certificate."},
	"print.certsOneReprint": {"1 certificado reimpreso, igual al ya emitido.", "1 certificate reprinted, identical to the one issued before."},
	"print.certsAllNew":     {"%s certificados nuevos.", "%s new certificates."},
	"print.certsAllReprint": {"%s certificados reimpresos, iguales a los ya emitidos.", "%s certificates reprinted, identical to the ones issued before."},
	"print.toPrint":         {"Para imprimir (todos juntos, por apellido)", "To print (all together, by surname)"},
	"print.perPerson":       {"Uno por persona, para enviar por correo: %s archivos", "One per person, to send by email: %s files"},
	"print.notEligible":     {"Sin certificado: %s", "No certificate: %s"},
	"print.inFolder":        {"Carpeta", "Folder"},
	"print.sheetTitle":      {"Planilla lista", "Sheet ready"},
	"print.sheetBefore":     {"Con quienes ya se registraron y %d filas en blanco para completar a mano.", "With who has checked in so far and %d blank rows to fill in by hand."},
	"print.sheetAfter":      {"Con el estado de cada asistente, para archivar con las firmas.", "With each attendee's status, to file with the signatures."},
	"print.csvTitle":        {"Asistencia exportada", "Attendance exported"},
	"print.csvNote":         {"Se abre con Excel o LibreOffice (separado por punto y coma).", "Opens in Excel or LibreOffice (semicolon-separated)."},
	"print.file":            {"Archivo", "File"},
	"print.openPDF":         {"Abrir PDF", "Open PDF"},
	"print.openFile":        {"Abrir archivo", "Open file"},
	"print.openFolder":      {"Abrir carpeta", "Open folder"},
	"print.cannotOpen":      {"No se pudo abrir %s con el visor del sistema. Buscalo en la carpeta %s.", "Could not open %s with the system viewer. Look for it in the folder %s."},
	"print.failedCerts":     {"No se pudieron emitir los certificados", "The certificates could not be issued"},
	"print.failedSheet":     {"No se pudo imprimir la planilla", "The sheet could not be printed"},
	"print.failedCSV":       {"No se pudo exportar la asistencia", "The attendance could not be exported"},
	"print.cannotWrite":     {"No se pudo escribir en %s. Revisá que la carpeta exista y se pueda escribir, o elegí otra con «Cambiar carpeta…».", "Could not write to %s. Check that the folder exists and is writable, or choose another with “Change folder…”."},
	"print.safeNote":        {"Lo ya registrado queda guardado: al volver a intentar, los certificados emitidos se reimprimen iguales.", "What was recorded is kept: trying again reprints the issued certificates unchanged."},
	"print.notAvailable":    {"Esta instalación no puede imprimir.", "This installation cannot print."},

	// Office settings.
	"office.entryTitle":   {"Oficina emisora", "Issuing office"},
	"office.entryHint":    {"Nombre, firmas, logo y dirección de verificación que se imprimen en los certificados.", "Name, signatures, logo and verification address printed on the certificates."},
	"office.open":         {"Configurar oficina emisora…", "Set up the issuing office…"},
	"office.title":        {"Oficina emisora de los certificados", "Office issuing the certificates"},
	"office.intro":        {"Así aparecen en cada certificado. Los ya emitidos no cambian: se reimprimen como fueron emitidos.", "This is how they appear on each certificate. Certificates already issued do not change: they reprint as issued."},
	"office.loading":      {"Cargando…", "Loading…"},
	"office.name":         {"Nombre de la oficina *", "Office name *"},
	"office.nameMissing":  {"Escribí el nombre de la oficina que emite los certificados.", "Type the name of the office issuing the certificates."},
	"office.subtitle":     {"Área o dependencia", "Department"},
	"office.subtitleHint": {"Opcional, por ejemplo «Dirección de Capacitación»", "Optional, for example “Training Department”"},
	"office.url":          {"Dirección de verificación", "Verification address"},
	"office.urlHint":      {"El código QR lleva a %s/verify/CÓDIGO", "The QR code points to %s/verify/CODE"},
	"office.urlBad":       {"Escribí una dirección completa, por ejemplo https://puntos.gob.ar.", "Type a full address, for example https://puntos.gob.ar."},
	"office.logo":         {"Logo", "Logo"},
	"office.signatures":   {"Firmas", "Signatures"},
	"office.signatory":    {"Firma %d", "Signature %d"},
	"office.sigName":      {"Nombre de quien firma", "Signatory's name"},
	"office.sigRole":      {"Cargo", "Role"},
	"office.sigImage":     {"Imagen de la firma (opcional)", "Signature image (optional)"},
	"office.sigHint":      {"Una o dos. Dejá vacíos los campos de una firma para no imprimirla.", "One or two. Leave a signature's fields empty to leave it off."},
	"office.sigNameMiss":  {"Escribí el nombre de quien firma, o borrá el cargo y la imagen.", "Type the signatory's name, or clear the role and the image."},
	"office.choose":       {"Elegir imagen…", "Choose image…"},
	"office.remove":       {"Quitar", "Remove"},
	"office.noImage":      {"Sin imagen", "No image"},
	"office.imageOK":      {"%s · %s KB", "%s · %s KB"},
	"office.imageStored":  {"Imagen guardada · %s KB", "Stored image · %s KB"},
	"office.reading":      {"Revisando la imagen…", "Checking the image…"},
	"office.imageBad":     {"No se usó «%s»: %s", "«%s» was not used: %s"},
	"office.cannotRead":   {"No se pudo leer «%s». Revisá que el archivo exista y se pueda abrir.", "Could not read «%s». Check that the file exists and can be opened."},
	"office.tooBig":       {"No se usó «%s»: pesa más de %d MB y el máximo es 2 MB.", "«%s» was not used: it weighs more than %d MB and the maximum is 2 MB."},
	"office.save":         {"Guardar", "Save"},
	"office.saving":       {"Guardando…", "Saving…"},
	"office.fixFields":    {"Revisá los campos marcados en rojo.", "Check the fields marked in red."},
	"office.saved":        {"Se guardó la oficina emisora: %s.", "The issuing office was saved: %s."},
}
