package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// MaxUSBFile is the largest USB file the registry imports.
const MaxUSBFile = 256 << 20

// USBImport is what importing a USB file did.
type USBImport struct {
	DeviceID string         `json:"device_id"`
	Receipts []wire.Receipt `json:"receipts"`
	// Conflicts are the IDs of batches not imported because the registry
	// holds other records under them: the device sends those records
	// under new IDs at its next online sync.
	Conflicts []string `json:"conflicts,omitempty"`
}

// Counts returns the outcomes of every receipt counted by kind and result
// (counts[KindAttendance][Accepted]…).
func (u USBImport) Counts() map[string]map[string]int {
	c := map[string]map[string]int{}
	for _, r := range u.Receipts {
		for _, o := range r.Outcomes {
			if c[o.Kind] == nil {
				c[o.Kind] = map[string]int{}
			}
			c[o.Kind][o.Result]++
		}
	}
	return c
}

// ImportUSB reads a USB file, checks that an enrolled, unrevoked device
// signed it and that every batch in it is well formed, then stores each
// batch with the same idempotent rules as a push (a batch already
// received returns its stored receipt; one whose ID the registry holds
// with other records is left out, in Conflicts). Nothing is stored when a check
// fails; the error is a *domain.Error with a Spanish message.
func (s *Server) ImportUSB(ctx context.Context, r io.Reader) (USBImport, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxUSBFile+1))
	if err != nil {
		return USBImport{}, fmt.Errorf("read usb file: %w", err)
	}
	if len(data) > MaxUSBFile {
		return USBImport{}, apiError(wire.CodeBodyTooLarge, fmt.Sprintf("El archivo supera los %d MiB: exportá los lotes en varios archivos.", MaxUSBFile>>20))
	}
	var f wire.USBFile
	if err := json.Unmarshal(data, &f); err != nil || f.DeviceID == "" || len(f.Batches) == 0 {
		return USBImport{}, apiError(wire.CodeBadRequest, "El archivo no es un archivo de lotes de Puntos o está dañado: volvé a exportarlo desde el equipo.")
	}
	if f.Protocol != wire.Protocol {
		return USBImport{}, apiError(wire.CodeProtocolVersion, fmt.Sprintf("El archivo usa el protocolo %q y este registro usa %q: actualizá Puntos en el equipo o en el registro.", f.Protocol, wire.Protocol))
	}
	dev, err := s.store.Device(ctx, f.DeviceID)
	if errors.Is(err, domain.ErrNotFound) {
		return USBImport{}, apiError(wire.CodeTokenUnknown, "El archivo viene de un equipo que este registro no conoce: revisá que el equipo esté dado de alta en este registro.")
	}
	if err != nil {
		return USBImport{}, err
	}
	if !wire.VerifyUSB(&f, dev.TokenHash) {
		return USBImport{}, apiError(wire.CodeTokenUnknown, "La firma del archivo no coincide: el archivo fue modificado o no lo generó ese equipo. No se importó nada; volvé a exportarlo desde el equipo.")
	}
	if dev.Revoked() {
		return USBImport{}, apiError(wire.CodeTokenRevoked, "El archivo viene de un equipo dado de baja: no se importó nada. Dalo de alta de nuevo y sincronizá desde el equipo.")
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(f.Batches, &raws); err != nil {
		return USBImport{}, apiError(wire.CodeBadRequest, "El archivo está firmado pero sus lotes no se pueden leer: es un error del programa, avisale al equipo central.")
	}
	batches := make([]*wire.Batch, len(raws))
	for i, raw := range raws {
		if batches[i], err = wire.DecodeBatch(raw); err != nil {
			return USBImport{}, apiError(wire.CodeBadRequest, fmt.Sprintf("Lote %d del archivo: %s No se importó nada.", i+1, domain.Message(err, "es")))
		}
	}
	out := USBImport{DeviceID: dev.ID, Receipts: make([]wire.Receipt, 0, len(batches))}
	for _, b := range batches {
		data, err := s.store.Ingest(ctx, wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceUSB, ReceivedAt: s.now()})
		if e, ok := errors.AsType[*domain.Error](err); ok && e.Code == wire.CodeBatchConflict {
			out.Conflicts = append(out.Conflicts, b.ID)
			s.log.WarnContext(ctx, "usb batch conflict", "device", dev.ID, "batch", b.ID)
			continue
		}
		if err != nil {
			return out, fmt.Errorf("import batch %s: %w", b.ID, err)
		}
		var rc wire.Receipt
		if err := json.Unmarshal(data, &rc); err != nil {
			return out, fmt.Errorf("read receipt %s: %w", b.ID, err)
		}
		out.Receipts = append(out.Receipts, rc)
		s.log.InfoContext(ctx, "usb batch", "device", dev.ID, "batch", b.ID, "records", b.Records())
	}
	return out, nil
}
