package wire

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/puntos-ar/puntos/storage/domain"
)

// DecodeBatch decodes an uncompressed batch body and checks its shape: at
// most MaxBatchBytes, valid JSON with nothing after it, the Protocol
// marker, a valid ID (ValidRecordID) and at most MaxBatchRecords records.
// It fails with a *domain.Error coded CodeBodyTooLarge, CodeBadRequest,
// CodeProtocolVersion, CodeBatchTooLarge or CodeEmptyBatch. Records are checked one by one
// later, at ingest: a bad record is rejected, not the batch.
func DecodeBatch(data []byte) (*Batch, error) {
	if len(data) > MaxBatchBytes {
		return nil, BodyTooLarge(MaxBatchBytes)
	}
	var b Batch
	if err := json.Unmarshal(data, &b); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return nil, &domain.Error{Code: CodeBadRequest, Text: fmt.Sprintf("El lote no es JSON válido (byte %d): es un error del programa o el envío se cortó; se reintentará.", syn.Offset)}
		case errors.As(err, &typ):
			return nil, &domain.Error{Code: CodeBadRequest, Text: fmt.Sprintf("El lote tiene un campo %q de tipo equivocado: es un error del programa, avisale al equipo central.", typ.Field)}
		}
		return nil, &domain.Error{Code: CodeBadRequest, Text: "El lote no es JSON válido: es un error del programa o el envío se cortó; se reintentará."}
	}
	return &b, CheckBatch(&b)
}

// CheckBatch checks the shape of a decoded batch as DecodeBatch does. A
// batch must carry at least one record: a device never builds an empty
// one, so an empty one is a program error, not something to store.
func CheckBatch(b *Batch) error {
	switch {
	case b.Protocol != Protocol:
		return &domain.Error{Code: CodeProtocolVersion, Text: fmt.Sprintf("El lote usa el protocolo %q y este registro usa %q: actualizá Puntos en el equipo.", b.Protocol, Protocol)}
	case !ValidRecordID(b.ID):
		return &domain.Error{Code: CodeBadRequest, Text: "El lote no tiene un ID válido (hasta 64 letras, números o guiones): es un error del programa, avisale al equipo central."}
	case b.Records() > MaxBatchRecords:
		return &domain.Error{Code: CodeBatchTooLarge, Text: fmt.Sprintf("El lote tiene %d registros y el máximo es %d: el equipo debe dividirlo en lotes más chicos.", b.Records(), MaxBatchRecords)}
	case b.Records() == 0:
		return &domain.Error{Code: CodeEmptyBatch, Text: "El lote no trae ningún registro: es un error del programa, avisale al equipo central."}
	}
	return nil
}

// BodyTooLarge is the CodeBodyTooLarge error of a body over limit bytes.
func BodyTooLarge(limit int64) *domain.Error {
	return &domain.Error{Code: CodeBodyTooLarge, Text: fmt.Sprintf("El envío supera el máximo de %d KiB: el equipo debe dividirlo en partes más chicas.", limit>>10)}
}
