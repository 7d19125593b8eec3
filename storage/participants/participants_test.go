package participants_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/participants"
)

// day is the session the reports below belong to: 27/11/2026 at 10:00,
// Argentina's time.
var day = time.Date(2026, 11, 27, 10, 0, 0, 0, participants.Argentina)

// utf16 encodes text as Teams writes its reports: UTF-16LE with a BOM.
func utf16(t *testing.T, text string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parse(t *testing.T, data []byte) *participants.Report {
	t.Helper()
	rep, err := participants.Parse(bytes.NewReader(data), day)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return rep
}

// parseAs parses data and checks the layout recognised.
func parseAs(t *testing.T, data []byte, want participants.Format) *participants.Report {
	t.Helper()
	rep := parse(t, data)
	if rep.Format != want {
		t.Fatalf("format %q, want %q", rep.Format, want)
	}
	return rep
}

// find returns the participant named name (display name).
func find(t *testing.T, rep *participants.Report, name string) participants.Participant {
	t.Helper()
	for _, p := range rep.Participants {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no participant %q in %+v", name, rep.Participants)
	return participants.Participant{}
}

func wantMinutes(t *testing.T, p participants.Participant, want int) {
	t.Helper()
	if got := p.Minutes(); got != want {
		t.Errorf("%s: %d minutes, want %d (seconds %d, joins %d)", p.Name, got, want, p.Seconds, p.Joins)
	}
}

// zoomMeeting is the meeting block Zoom writes above the participants
// when "Export with meeting data" is ticked.
const zoomMeeting = "\ufeffMeeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\r\n" +
	"\"851 2345 6789\",\"Curso GDE, módulo 1\",11/27/2026 09:55:12 AM,11/27/2026 12:03:40 PM,capacitacion@gob.ar,129,5\r\n" +
	"\r\n"

const zoomParticipants = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n" +
	"Capacitación Córdoba,capacitacion@gob.ar,11/27/2026 09:55:12 AM,11/27/2026 12:03:40 PM,129,No\r\n" +
	"María José Núñez,MJNUNEZ@anses.gob.ar,11/27/2026 09:58:03 AM,11/27/2026 10:40:00 AM,42,No\r\n" +
	// a reconnect: a new row, the minutes are summed
	"María José Núñez,mjnunez@anses.gob.ar,11/27/2026 10:42:10 AM,11/27/2026 11:59:10 AM,77,No\r\n" +
	// a second device overlapping the first: counted once
	"Pedro (Pedro Munoz),,11/27/2026 10:01:00 AM,11/27/2026 11:00:00 AM,59,Yes\r\n" +
	"Pedro (Pedro Munoz),,11/27/2026 10:30:00 AM,11/27/2026 11:30:00 AM,60,Yes\r\n" +
	"iPad de Juan,,11/27/2026 10:05:00 AM,11/27/2026 10:20:00 AM,15,Yes\r\n"

func TestZoom(t *testing.T) {
	for name, data := range map[string]string{
		"WithMeetingBlock": zoomMeeting + zoomParticipants,
		"ParticipantsOnly": zoomParticipants,
	} {
		t.Run(name, func(t *testing.T) {
			rep := parseAs(t, []byte(data), participants.Zoom)
			if rep.Rows != 6 || len(rep.Participants) != 4 {
				t.Fatalf("%d rows, %d participants; want 6 and 4", rep.Rows, len(rep.Participants))
			}
			m := find(t, rep, "María José Núñez")
			if m.Email != "mjnunez@anses.gob.ar" || m.Joins != 2 {
				t.Errorf("rejoin not merged by email: %+v", m)
			}
			wantMinutes(t, m, 119) // 09:58:03–10:40:00 and 10:42:10–11:59:10: 7137 s
			p := find(t, rep, "Pedro")
			if p.OriginalName != "Pedro Munoz" {
				t.Errorf("original name %q", p.OriginalName)
			}
			wantMinutes(t, p, 89) // 10:01–11:30, the overlap once
			if want := time.Date(2026, 11, 27, 12, 55, 12, 0, time.UTC); !rep.First.Equal(want) {
				t.Errorf("first join %v, want %v (Argentina is UTC−3)", rep.First, want)
			}
		})
	}
}

func TestZoomUniqueUsers(t *testing.T) {
	data := "Name (Original Name),User Email,Total Duration (Minutes),Guest\n" +
		"María José Núñez,mjnunez@anses.gob.ar,119,No\n" +
		"Ana Inés Fernández de la Peña,,87,Yes\n"
	rep := parseAs(t, []byte(data), participants.ZoomUnique)
	wantMinutes(t, find(t, rep, "María José Núñez"), 119)
	wantMinutes(t, find(t, rep, "Ana Inés Fernández de la Peña"), 87)
}

// teams is the current attendance report, as Teams downloads it: three
// numbered sections, tab-separated.
const teamsEN = "1. Summary\n" +
	"Meeting title\tCurso GDE, módulo 1\n" +
	"Attended participants\t3\n" +
	"Start time\t11/27/26, 9:58:12 AM\n" +
	"End time\t11/27/26, 12:01:40 PM\n" +
	"Meeting duration\t2h 3m 28s\n" +
	"Average attendance time\t1h 27m 51s\n" +
	"\n" +
	"2. Participants\n" +
	"Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n" +
	"Capacitación Córdoba\t11/27/26, 9:58:12 AM\t11/27/26, 12:01:40 PM\t2h 3m 28s\tcapacitacion@gob.ar\tcapacitacion@gob.ar\tOrganizer\n" +
	"Núñez, María José\t11/27/26, 10:00:05 AM\t11/27/26, 11:59:00 AM\t1h 50m 55s\tmjnunez@anses.gob.ar\tmjnunez@anses.gob.ar\tPresenter\n" +
	"Pedro Munoz (Guest)\t11/27/26, 10:10:00 AM\t11/27/26, 10:40:00 AM\t30m 0s\t\t\tAttendee\n" +
	"\n" +
	"3. In-Meeting Activities\n" +
	"Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n" +
	"Capacitación Córdoba\t11/27/26, 9:58:12 AM\t11/27/26, 12:01:40 PM\t2h 3m 28s\tcapacitacion@gob.ar\tOrganizer\n" +
	"Núñez, María José\t11/27/26, 10:00:05 AM\t11/27/26, 10:50:00 AM\t49m 55s\tmjnunez@anses.gob.ar\tPresenter\n" +
	"Núñez, María José\t11/27/26, 10:59:00 AM\t11/27/26, 11:59:00 AM\t1h 0m 0s\tmjnunez@anses.gob.ar\tPresenter\n" +
	"Pedro Munoz (Guest)\t11/27/26, 10:10:00 AM\t11/27/26, 10:40:00 AM\t30m 0s\t\tAttendee\n"

// teamsES is the same report downloaded from Teams in Spanish: titles,
// headers and dates localized (day first), durations with spaces.
const teamsES = "1. Resumen\n" +
	"Título de la reunión\tCurso GDE\n" +
	"Participantes asistentes\t2\n" +
	"Hora de inicio\t27/11/26, 9:58:12\n" +
	"\n" +
	"2. Participantes\n" +
	"Nombre\tPrimera unión\tÚltima salida\tDuración en la reunión\tCorreo electrónico\tId. de participante (UPN)\tRol\n" +
	"Capacitación Córdoba\t27/11/26, 9:58:12\t27/11/26, 12:01:40\t2 h 3 min 28 s\tcapacitacion@gob.ar\tcapacitacion@gob.ar\tOrganizador\n" +
	"Núñez, María José\t27/11/26, 10:00:05\t27/11/26, 11:59:00\t1 h 50 min 55 s\tmjnunez@anses.gob.ar\tmjnunez@anses.gob.ar\tAsistente\n"

func TestTeams(t *testing.T) {
	t.Run("English", func(t *testing.T) {
		rep := parse(t, utf16(t, teamsEN))
		if rep.Format != participants.Teams || rep.Encoding != "UTF-16" {
			t.Fatalf("format %q, encoding %q", rep.Format, rep.Encoding)
		}
		if len(rep.Participants) != 3 {
			t.Fatalf("%d participants, want 3", len(rep.Participants))
		}
		m := find(t, rep, "Núñez, María José")
		wantMinutes(t, m, 110) // the two connections of section 3, not first join to last leave
		if !find(t, rep, "Capacitación Córdoba").Host {
			t.Error("the organizer is not marked as host")
		}
		wantMinutes(t, find(t, rep, "Pedro Munoz"), 30) // "(Guest)" dropped
		if find(t, rep, "Núñez, María José").Host {
			t.Error("a presenter is not a host")
		}
	})
	t.Run("SpanishSummaryOnly", func(t *testing.T) {
		rep := parseAs(t, utf16(t, teamsES), participants.Teams)
		m := find(t, rep, "Núñez, María José")
		wantMinutes(t, m, 111) // "1 h 50 min 55 s"
		if m.Email != "mjnunez@anses.gob.ar" {
			t.Errorf("email %q", m.Email)
		}
		if want := time.Date(2026, 11, 27, 9, 58, 12, 0, participants.Argentina); !rep.First.Equal(want) {
			t.Errorf("first join %v, want %v (27/11 day first)", rep.First, want)
		}
	})
}

func TestTeamsLegacy(t *testing.T) {
	data := "Full Name\tUser Action\tTimestamp\n" +
		"Capacitación Córdoba\tJoined\t11/27/2026, 9:58:12 AM\n" +
		"María José Núñez\tJoined before\t11/27/2026, 10:00:00 AM\n" +
		"María José Núñez\tLeft\t11/27/2026, 10:45:00 AM\n" +
		"María José Núñez\tJoined\t11/27/2026, 10:50:00 AM\n" +
		"María José Núñez\tLeft\t11/27/2026, 11:50:00 AM\n" +
		"Pedro Munoz\tJoined\t11/27/2026, 11:00:00 AM\n" +
		"Capacitación Córdoba\tLeft\t11/27/2026, 12:00:00 PM\n"
	rep := parseAs(t, utf16(t, data), participants.TeamsLegacy)
	wantMinutes(t, find(t, rep, "María José Núñez"), 105)
	// No "Left": connected until the last time in the file.
	wantMinutes(t, find(t, rep, "Pedro Munoz"), 60)
}

func TestMeet(t *testing.T) {
	t.Run("English", func(t *testing.T) {
		data := "First name,Last name,Email,Duration,Time joined,Time exited\r\n" +
			"María José,Núñez,mjnunez@anses.gob.ar,1 hr 52 min,10:00 AM,11:59 AM\r\n" +
			"Ana Inés,Fernández de la Peña,a***@gmail.com,45 min,10:05 AM,11:55 AM\r\n"
		rep := parseAs(t, []byte(data), participants.Meet)
		// Duration is the connected time, not last exit minus first join.
		wantMinutes(t, find(t, rep, "María José Núñez"), 112)
		a := find(t, rep, "Ana Inés Fernández de la Peña")
		wantMinutes(t, a, 45)
		if a.Email != "" || !a.Masked {
			t.Errorf("masked email kept: %+v", a)
		}
	})
	t.Run("Spanish", func(t *testing.T) {
		data := "\ufeffNombre,Apellido,Correo electrónico,Duración,Hora de ingreso,Hora de salida\n" +
			"\"María José\",\"Núñez\",mjnunez@anses.gob.ar,1:52:10,27/11/2026 10:00:05,27/11/2026 11:59:00\n"
		rep := parseAs(t, []byte(data), participants.Meet)
		wantMinutes(t, find(t, rep, "María José Núñez"), 112)
	})
}

func TestBigBlueButton(t *testing.T) {
	t.Run("English", func(t *testing.T) {
		data := "Name,Moderator,Activity Score,Talk Time,Webcam Time,Messages,Reactions,Poll Votes,Raise Hands,Join,Left,Duration,¿Le sirvió?\n" +
			"Capacitación Córdoba,Yes,8.5,00:40:10,01:59:00,3,0,0,0,\"11/27/2026, 09:58:00 AM\",\"11/27/2026, 12:00:00 PM\",02:02:00,-\n" +
			"María José Núñez,No,4,00:01:10,-,1,2,1,1,\"11/27/2026, 10:01:00 AM\",\"11/27/2026, 11:58:00 AM\",01:35:30,Sí\n" +
			"Anonymous,-,-,-,-,-,-,-,-,-,-,-,No\n"
		rep := parseAs(t, []byte(data), participants.BBB)
		if len(rep.Participants) != 2 {
			t.Fatalf("%d participants, want 2 (no Anonymous row)", len(rep.Participants))
		}
		wantMinutes(t, find(t, rep, "María José Núñez"), 96) // the summed sessions, 01:35:30
		if !find(t, rep, "Capacitación Córdoba").Host {
			t.Error("moderator not marked as host")
		}
	})
	t.Run("Spanish", func(t *testing.T) {
		data := "Usuario;Moderador;Puntuación de actividad;Tiempo de conversación;Tiempo de cámara;Mensajes;Reacciones;Votos;Manos levantadas;Ingreso;Salida;Duración\n" +
			"María José Núñez;No;4;00:01:10;-;1;0;1;1;27/11/2026, 10:01:00;27/11/2026, 11:58:00;01:35:30\n"
		rep := parseAs(t, []byte(data), participants.BBB)
		wantMinutes(t, find(t, rep, "María José Núñez"), 96)
	})
}

func TestPlain(t *testing.T) {
	// Excel on Spanish Windows: Windows-1252, ';', DNI with dots.
	text := "Apellido y nombre;DNI;Minutos\r\nNÚÑEZ, María José;20.123.456;110\r\nMUÑOZ, Pedro;21000111;30\r\n"
	data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	rep := parse(t, data)
	if rep.Format != participants.Plain || rep.Encoding != "Windows-1252" {
		t.Fatalf("format %q, encoding %q", rep.Format, rep.Encoding)
	}
	p := find(t, rep, "NÚÑEZ, María José")
	if p.DNI != "20123456" {
		t.Errorf("DNI %q", p.DNI)
	}
	wantMinutes(t, p, 110)

	rep = parse(t, []byte("email,minutes\nmjnunez@anses.gob.ar,95\n"))
	if rep.Format != participants.Plain || rep.Participants[0].Email != "mjnunez@anses.gob.ar" {
		t.Fatalf("email CSV: %+v", rep)
	}
}

func TestBadReports(t *testing.T) {
	for name, tc := range map[string]struct {
		data string
		code string
	}{
		"Empty":         {"", participants.CodeNoParticipant},
		"OnlyHeader":    {"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n", participants.CodeNoParticipant},
		"UnknownLayout": {"Código;Título;Tipo\nCH-1;Charla;charla\n", participants.CodeUnknownLayout},
		"OtherMeeting": {"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n" +
			"Ana,ana@x.gob.ar,11/20/2026 10:00:00 AM,11/20/2026 11:00:00 AM,60,No\n", participants.CodeOtherMeeting},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := participants.Parse(strings.NewReader(tc.data), day)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != tc.code {
				t.Fatalf("error %v, want code %s", err, tc.code)
			}
			if strings.Count(de.Text, ". ") > 2 || !strings.HasSuffix(de.Text, ".") {
				t.Errorf("not one clear sentence: %q", de.Text)
			}
		})
	}
}

func TestAmbiguousDayMonth(t *testing.T) {
	// 03/04: the session on 3 April 2026 settles it as day first.
	apr3 := time.Date(2026, 4, 3, 10, 0, 0, 0, participants.Argentina)
	data := "Usuario;Moderador;Ingreso;Salida;Duración\nAna Pérez;No;03/04/2026 10:00:00;03/04/2026 11:00:00;01:00:00\n"
	rep, err := participants.Parse(strings.NewReader(data), apr3)
	if err != nil {
		t.Fatal(err)
	}
	if want := apr3; !rep.First.Equal(want) {
		t.Errorf("first %v, want %v", rep.First, want)
	}
}

func TestLocalizedZoomAndTeamsActivities(t *testing.T) {
	t.Run("ZoomSpanish", func(t *testing.T) {
		data := "Nombre (nombre original),Correo electrónico del usuario,Hora de ingreso,Hora de salida,Duración (minutos),Invitado\n" +
			"Ana (Ana Inés Fernández),,27/11/2026 10:00:00,27/11/2026 11:30:00,90,Sí\n"
		rep := parseAs(t, []byte(data), participants.Zoom)
		a := find(t, rep, "Ana")
		if a.OriginalName != "Ana Inés Fernández" {
			t.Errorf("original name %q", a.OriginalName)
		}
		wantMinutes(t, a, 90)
	})
	t.Run("TeamsSpanishActivities", func(t *testing.T) {
		data := teamsES + "\n3. Actividades durante la reunión\n" +
			"Nombre\tHora de unión\tHora de salida\tDuración\tCorreo electrónico\tRol\n" +
			"Núñez, María José\t27/11/26, 10:00:05\t27/11/26, 10:30:05\t30 min\tmjnunez@anses.gob.ar\tAsistente\n" +
			"Núñez, María José\t27/11/26, 10:20:05\t27/11/26, 11:00:05\t40 min\tmjnunez@anses.gob.ar\tAsistente\n"
		rep := parseAs(t, utf16(t, data), participants.Teams)
		wantMinutes(t, find(t, rep, "Núñez, María José"), 60) // 10:00:05–11:00:05, the overlap once
	})
}
