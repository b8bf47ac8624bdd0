PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE documents (
	id VARCHAR(32) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	source_name TEXT NOT NULL, 
	mime VARCHAR(128) NOT NULL, 
	doc_type VARCHAR(64) NOT NULL, 
	doc_type_confidence FLOAT NOT NULL, 
	number TEXT, 
	date DATE, 
	year INTEGER, 
	unit TEXT, 
	title TEXT, 
	pages INTEGER NOT NULL, 
	text_source VARCHAR(32) NOT NULL, 
	ocr_confidence FLOAT, 
	flags JSON NOT NULL, 
	access VARCHAR(32) NOT NULL, 
	archive_path VARCHAR(1024) NOT NULL, 
	received_at DATETIME NOT NULL, 
	archived_at DATETIME, 
	released_at DATETIME, 
	PRIMARY KEY (id)
);
INSERT INTO documents VALUES('0a0a0a0a0a0a0a01','aa0050f12682d398cc5bc3d5eda472d4a8551b05b61447ed42f983f585c4a2ef','0a0a0a0a0a0a0a01.png','image/png','surat',0.9000000000000000222,'a01/PP.01/KPU/2022','2022-03-14',2022,'KPU Kabupaten Bengkulu Tengah','Undangan Rapat Koordinasi Pemutakhiran Data',1,'ocr',71.5,'[]','terbuka','archive/2022/surat/0a0a0a0a0a0a0a01','2022-03-15 02:30:00.000000','2026-12-02 17:06:44.158706',NULL);
INSERT INTO documents VALUES('0a0a0a0a0a0a0a02','0b0650c0c2b15ea9c033291c4e7c27ddc720880c3c189892840c3b155bdfa498','0a0a0a0a0a0a0a02.pdf','application/pdf','keputusan',0.9000000000000000222,'a02/PP.01/KPU/2020','2020-03-14',2020,'KPU Provinsi Bengkulu','Penetapan Daftar Pemilih Tetap',1,'text_layer',NULL,'[]','terbuka','archive/2020/keputusan/0a0a0a0a0a0a0a02','2020-03-15 02:30:00.000000','2026-12-02 17:06:44.163091',NULL);
INSERT INTO documents VALUES('0b0b0b0b0b0b0b01','f810df0a4d66bb26b2fcc69af427f482b9317661844ff40486874f7d567d7acb','0b0b0b0b0b0b0b01.png','image/png','lainnya',0.29999999999999998889,'b01/PP.01/KPU/2023','2023-03-14',2023,'KPU Kota Bengkulu','Notulen Internal Anggaran',1,'ocr',71.5,'["tipe_tidak_pasti", "perlu_tinjauan"]','dikecualikan','archive/2023/lainnya/0b0b0b0b0b0b0b01','2023-03-15 02:30:00.000000','2026-12-02 17:06:44.164600',NULL);
INSERT INTO documents VALUES('0c0c0c0c0c0c0c01','4c0c5029d7484b99d548ad768937f861f9fb26d90bc2c5839921eb5d3c2a01ff','0c0c0c0c0c0c0c01.pdf','application/pdf','formulir',0.29999999999999998889,'c01/PP.01/KPU/2021','2021-03-14',2021,'KPU Kabupaten Seluma','Formulir Data Pemilih',1,'text_layer',NULL,'["data_pribadi"]','dikecualikan','archive/2021/formulir/0c0c0c0c0c0c0c01','2021-03-15 02:30:00.000000','2026-12-02 17:06:44.165837',NULL);
CREATE TABLE events (
	id INTEGER NOT NULL, 
	once_key TEXT, 
	sha256 VARCHAR(64) NOT NULL, 
	document_id VARCHAR(32), 
	source_name TEXT, 
	run_id VARCHAR(64), 
	kind VARCHAR(64) NOT NULL, 
	outcome VARCHAR(16) NOT NULL, 
	detail JSON NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (once_key)
);
INSERT INTO events VALUES(1,NULL,'aa0050f12682d398cc5bc3d5eda472d4a8551b05b61447ed42f983f585c4a2ef','0a0a0a0a0a0a0a01',NULL,NULL,'serah_terima','info','{"by": "petugas1", "role": "petugas", "bidang": "Divisi Teknis", "diserahkan_oleh": "Budi", "waktu_serah": "2026-11-19T02:00:00+00:00", "terverifikasi": true}','2026-12-02 17:06:44.339643');
INSERT INTO events VALUES(2,NULL,'f810df0a4d66bb26b2fcc69af427f482b9317661844ff40486874f7d567d7acb','0b0b0b0b0b0b0b01',NULL,NULL,'perubahan_akses','info','{"by": "ppid1", "role": "ppid", "entri": 1, "before": "belum_ditinjau", "after": "dikecualikan", "alasan": "ditautkan"}','2026-12-02 17:06:44.471182');
CREATE TABLE catalog_meta (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR(256) NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO catalog_meta VALUES('schema_version','1');
CREATE TABLE receipts (
	id INTEGER NOT NULL, 
	document_id VARCHAR(32) NOT NULL, 
	source_name TEXT NOT NULL, 
	received_at DATETIME NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (document_id, source_name, received_at), 
	FOREIGN KEY(document_id) REFERENCES documents (id)
);
INSERT INTO receipts VALUES(1,'0a0a0a0a0a0a0a01','0a0a0a0a0a0a0a01.png','2022-03-15 02:30:00.000000','original');
INSERT INTO receipts VALUES(2,'0a0a0a0a0a0a0a02','0a0a0a0a0a0a0a02.pdf','2020-03-15 02:30:00.000000','original');
INSERT INTO receipts VALUES(3,'0b0b0b0b0b0b0b01','0b0b0b0b0b0b0b01.png','2023-03-15 02:30:00.000000','original');
INSERT INTO receipts VALUES(4,'0c0c0c0c0c0c0c01','0c0c0c0c0c0c0c01.pdf','2021-03-15 02:30:00.000000','original');
CREATE TABLE users (
	username VARCHAR(32) NOT NULL, 
	role VARCHAR(32) NOT NULL, 
	password_hash VARCHAR(256) NOT NULL, 
	disabled BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	password_changed_at DATETIME NOT NULL, 
	PRIMARY KEY (username)
);
INSERT INTO users VALUES('petugas1','petugas','$argon2id$v=19$m=8,t=1,p=1$RcG6Ljz3Me5q38kCjFrquw$tH884qOKjW57C4lA2ZMDo51DZqoNExIYrl4JBNGrZEw',0,'2026-12-02 17:06:44.223552','2026-12-02 17:06:44.223552');
INSERT INTO users VALUES('ppid1','ppid','$argon2id$v=19$m=8,t=1,p=1$uLSXgF75LkKJuPSRIJKLnQ$HW9C2ovvjQQCcDJOMRIH5FkRIwMoNdwGfKc5DeFHGcY',0,'2026-12-02 17:06:44.231646','2026-12-02 17:06:44.231646');
INSERT INTO users VALUES('atasan1','atasan','$argon2id$v=19$m=8,t=1,p=1$dcLDUOVNoMIlDKtEHl/0Sg$YOXe+HNaIQ75QOvaZNH9D2s8x8geM/LH2G73cRR+ZBY',0,'2026-12-02 17:06:44.235543','2026-12-02 17:06:44.235543');
INSERT INTO users VALUES('admin1','admin','$argon2id$v=19$m=8,t=1,p=1$Zbfwi/ZQbLtJ5CWuGuv50w$SjBP1QUzKjittGkeTkXG91zxPgA3fgkHogQcy6b6kWs',0,'2026-12-02 17:06:44.239481','2026-12-02 17:06:44.239481');
INSERT INTO users VALUES('tim1','tim_pertimbangan','$argon2id$v=19$m=8,t=1,p=1$YzTPo6jtrDNjCzorkiYeXw$S6nEATblVfrnMO8L8p6zR6gFUh/TCbeAGgGGB8tVkMc',0,'2026-12-02 17:06:44.272407','2026-12-02 17:06:44.272407');
INSERT INTO users VALUES('pembina1','pembina','$argon2id$v=19$m=8,t=1,p=1$48SBOqeV2LX9ZQBU5vdRqw$EZ6063R+zp32v0rCG6RKoDUu9KvnuNkhOOzTGHgRN6I',0,'2026-12-02 17:06:44.283650','2026-12-02 17:06:44.283650');
CREATE TABLE web_sessions (
	token_sha256 VARCHAR(64) NOT NULL, 
	username VARCHAR(32) NOT NULL, 
	csrf_token VARCHAR(64) NOT NULL, 
	client VARCHAR(128) NOT NULL, 
	started_at DATETIME NOT NULL, 
	last_seen DATETIME NOT NULL, 
	PRIMARY KEY (token_sha256), 
	FOREIGN KEY(username) REFERENCES users (username)
);
CREATE TABLE audit_log (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	role VARCHAR(32) NOT NULL, 
	action VARCHAR(32) NOT NULL, 
	document_id VARCHAR(32), 
	access VARCHAR(32), 
	client VARCHAR(128) NOT NULL, 
	user_agent VARCHAR(512) NOT NULL, 
	detail JSON NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO audit_log VALUES(1,'2026-11-20 03:00:00.000000','ppid1','ppid','view','0b0b0b0b0b0b0b01','belum_ditinjau','127.0.0.1','test','{}');
CREATE TABLE handovers (
	id INTEGER NOT NULL, 
	document_id VARCHAR(32) NOT NULL, 
	division VARCHAR(200) NOT NULL, 
	handed_over_by VARCHAR(200) NOT NULL, 
	handed_over_at DATETIME NOT NULL, 
	received_by VARCHAR(64) NOT NULL, 
	received_role VARCHAR(32) NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	verified BOOLEAN NOT NULL, 
	note TEXT NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO handovers VALUES(1,'0a0a0a0a0a0a0a01','Divisi Teknis','Budi','2026-11-19 02:00:00.000000','petugas1','petugas','2026-12-02 17:06:44.339643',1,'asli');
CREATE TABLE hardcopy_locations (
	document_id VARCHAR(32) NOT NULL, 
	room VARCHAR(120) NOT NULL, 
	cabinet VARCHAR(120) NOT NULL, 
	box VARCHAR(120) NOT NULL, 
	folder VARCHAR(120) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by VARCHAR(64) NOT NULL, 
	PRIMARY KEY (document_id)
);
INSERT INTO hardcopy_locations VALUES('0a0a0a0a0a0a0a01','R1','L2','Boks 12','F3','2026-12-02 17:06:44.363046','petugas1');
CREATE TABLE exemption_entries (
	id INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	status VARCHAR(32) NOT NULL, 
	description TEXT NOT NULL, 
	doc_type VARCHAR(64), 
	legal_basis VARCHAR(64) NOT NULL, 
	legal_point INTEGER, 
	other_bases JSON NOT NULL, 
	consequence TEXT NOT NULL, 
	consideration TEXT NOT NULL, 
	scope VARCHAR(16) NOT NULL, 
	redaction JSON NOT NULL, 
	period JSON, 
	remarks TEXT NOT NULL, 
	proposed_by VARCHAR(64) NOT NULL, 
	proposed_role VARCHAR(32) NOT NULL, 
	created_at DATETIME NOT NULL, 
	round INTEGER NOT NULL, 
	required_approvers JSON NOT NULL, 
	decree_number VARCHAR(256), 
	decree_date DATE, 
	published_on DATE, 
	next_review DATE, 
	expires_on DATE, 
	PRIMARY KEY (id)
);
INSERT INTO exemption_entries VALUES(1,8,'dipublikasikan','NIK dan Nomor KK pemohon pada formulir permohonan informasi','formulir','uu14-2008-p17h',1,'["uu27-2022"]','Membuka rahasia pribadi pemohon dan keluarganya.','Perlindungan data pribadi lebih besar daripada kepentingan publik.','seluruh','{"personal_numbers": false, "numbers": [], "regions": []}','{"kind": "durasi", "years": 5, "months": 0, "condition": "", "label": "5 tahun"}','Berlaku untuk formulir permohonan tahun 2023.','ppid1','ppid','2026-12-02 17:06:44.439708',1,'["tim_pertimbangan", "atasan", "pembina"]','3/PP.06-Kpt/2026','2026-11-01','2026-11-02','2027-05-02','2031-11-01');
CREATE TABLE exemption_events (
	id INTEGER NOT NULL, 
	entry_id INTEGER NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	from_status VARCHAR(32), 
	to_status VARCHAR(32) NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	role VARCHAR(32) NOT NULL, 
	at DATETIME NOT NULL, 
	note TEXT NOT NULL, 
	documents JSON NOT NULL, 
	digest VARCHAR(64) NOT NULL, 
	detail JSON NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO exemption_events VALUES(1,1,'diusulkan',NULL,'draf','ppid1','ppid','2026-12-02 17:06:44.447799','','[]','e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855','{}');
INSERT INTO exemption_events VALUES(2,1,'dokumen_ditautkan','draf','draf','ppid1','ppid','2026-12-02 17:06:44.477516','','[{"id": "0b0b0b0b0b0b0b01", "sha256": "f810df0a4d66bb26b2fcc69af427f482b9317661844ff40486874f7d567d7acb"}]','863c3cbe1609d185d44861a7257f22e053b88bdeebd1bd10a7e7e3c6a32a5e75','{"added": ["0b0b0b0b0b0b0b01"]}');
INSERT INTO exemption_events VALUES(3,1,'uji_konsekuensi','draf','uji_konsekuensi','ppid1','ppid','2026-12-02 17:06:44.486526','','[{"id": "0b0b0b0b0b0b0b01", "sha256": "f810df0a4d66bb26b2fcc69af427f482b9317661844ff40486874f7d567d7acb"}]','863c3cbe1609d185d44861a7257f22e053b88bdeebd1bd10a7e7e3c6a32a5e75','{"basis": "UU 14/2008 Pasal 17 huruf h angka 1", "period": "5 tahun"}');
INSERT INTO exemption_events VALUES(4,1,'diajukan','uji_konsekuensi','menunggu_persetujuan','ppid1','ppid','2026-12-02 17:06:44.496552','','[{"id": "0b0b0b0b0b0b0b01", "sha256": "f810df0a4d66bb26b2fcc69af427f482b9317661844ff40486874f7d567d7acb"}]','863c3cbe1609d185d44861a7257f22e053b88bdeebd1bd10a7e7e3c6a32a5e75','{"round": 1, "required": ["tim_pertimbangan", "atasan", "pembina"]}');
INSERT INTO exemption_events VALUES(5,1,'disetujui','menunggu_persetujuan','menunggu_persetujuan','tim1','tim_pertimbangan','2026-12-02 17:06:44.502682','','[{"id": "0b0b0b0b0b0b0b01", "sha256": "f810df0a4d66bb26b2fcc69af427f482b9317661844ff40486874f7d567d7acb"}]','863c3cbe1609d185d44861a7257f22e053b88bdeebd1bd10a7e7e3c6a32a5e75','{"round": 1}');
INSERT INTO exemption_events VALUES(6,1,'disetujui','menunggu_persetujuan','menunggu_persetujuan','atasan1','atasan','2026-12-02 17:06:44.506484','','[{"id": "0b0b0b0b0b0b0b01", "sha256": "f810df0a4d66bb26b2fcc69af427f482b9317661844ff40486874f7d567d7acb"}]','863c3cbe1609d185d44861a7257f22e053b88bdeebd1bd10a7e7e3c6a32a5e75','{"round": 1}');
INSERT INTO exemption_events VALUES(7,1,'disetujui','menunggu_persetujuan','menunggu_persetujuan','pembina1','pembina','2026-12-02 17:06:44.510154','','[{"id": "0b0b0b0b0b0b0b01", "sha256": "f810df0a4d66bb26b2fcc69af427f482b9317661844ff40486874f7d567d7acb"}]','863c3cbe1609d185d44861a7257f22e053b88bdeebd1bd10a7e7e3c6a32a5e75','{"round": 1}');
INSERT INTO exemption_events VALUES(8,1,'ditetapkan','menunggu_persetujuan','ditetapkan','ppid1','ppid','2026-12-02 17:06:44.515140','','[{"id": "0b0b0b0b0b0b0b01", "sha256": "f810df0a4d66bb26b2fcc69af427f482b9317661844ff40486874f7d567d7acb"}]','863c3cbe1609d185d44861a7257f22e053b88bdeebd1bd10a7e7e3c6a32a5e75','{"decree": "3/PP.06-Kpt/2026", "decree_date": "2026-11-01", "expires_on": "2031-11-01"}');
INSERT INTO exemption_events VALUES(9,1,'dipublikasikan','ditetapkan','dipublikasikan','ppid1','ppid','2026-12-02 17:06:44.518843','','[{"id": "0b0b0b0b0b0b0b01", "sha256": "f810df0a4d66bb26b2fcc69af427f482b9317661844ff40486874f7d567d7acb"}]','863c3cbe1609d185d44861a7257f22e053b88bdeebd1bd10a7e7e3c6a32a5e75','{"published_on": "2026-11-02", "next_review": "2027-05-02"}');
CREATE TABLE legal_bases (
	code VARCHAR(64) NOT NULL, 
	law VARCHAR(256) NOT NULL, 
	article VARCHAR(256) NOT NULL, 
	letter VARCHAR(4) NOT NULL, 
	summary TEXT NOT NULL, 
	points JSON NOT NULL, 
	permanent_allowed BOOLEAN NOT NULL, 
	active BOOLEAN NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by VARCHAR(64) NOT NULL, 
	PRIMARY KEY (code)
);
INSERT INTO legal_bases VALUES('uu14-2008-p17a','UU 14/2008','Pasal 17 huruf a','a','Menghambat proses penegakan hukum','["menghambat proses penyelidikan dan penyidikan suatu tindak pidana", "mengungkapkan identitas informan, pelapor, saksi, dan/atau korban yang mengetahui adanya tindak pidana", "mengungkapkan data intelijen kriminal dan rencana-rencana yang berhubungan dengan pencegahan dan penanganan segala bentuk kejahatan transnasional", "membahayakan keselamatan dan kehidupan penegak hukum dan/atau keluarganya", "membahayakan keamanan peralatan, sarana, dan/atau prasarana penegak hukum"]',0,1,'2026-12-02 17:06:44.429457','seed');
INSERT INTO legal_bases VALUES('uu14-2008-p17b','UU 14/2008','Pasal 17 huruf b','b','Mengganggu perlindungan hak atas kekayaan intelektual dan perlindungan dari persaingan usaha tidak sehat','[]',0,1,'2026-12-02 17:06:44.429594','seed');
INSERT INTO legal_bases VALUES('uu14-2008-p17c','UU 14/2008','Pasal 17 huruf c','c','Membahayakan pertahanan dan keamanan negara','["strategi, intelijen, operasi, taktik dan teknik penyelenggaraan sistem pertahanan dan keamanan negara", "dokumen strategi, intelijen, operasi, teknik dan taktik penyelenggaraan sistem pertahanan dan keamanan negara", "jumlah, komposisi, disposisi, atau dislokasi kekuatan dan kemampuan pertahanan dan keamanan negara", "gambar dan data situasi dan keadaan pangkalan dan/atau instalasi militer", "data perkiraan kemampuan militer dan pertahanan negara lain", "sistem persandian negara", "sistem intelijen negara"]',0,1,'2026-12-02 17:06:44.429624','seed');
INSERT INTO legal_bases VALUES('uu14-2008-p17d','UU 14/2008','Pasal 17 huruf d','d','Mengungkapkan kekayaan alam Indonesia','[]',0,1,'2026-12-02 17:06:44.429648','seed');
INSERT INTO legal_bases VALUES('uu14-2008-p17e','UU 14/2008','Pasal 17 huruf e','e','Merugikan ketahanan ekonomi nasional','["rencana awal pembelian dan penjualan mata uang nasional atau asing, saham dan aset vital milik negara", "rencana awal perubahan nilai tukar, suku bunga, dan model operasi institusi keuangan", "rencana awal perubahan suku bunga bank, pinjaman pemerintah, perubahan pajak, tarif, atau pendapatan negara/daerah lainnya", "rencana awal penjualan atau pembelian tanah atau properti", "rencana awal investasi asing", "proses dan hasil pengawasan perbankan, asuransi, atau lembaga keuangan lainnya", "hal-hal yang berkaitan dengan proses pencetakan uang"]',0,1,'2026-12-02 17:06:44.429771','seed');
INSERT INTO legal_bases VALUES('uu14-2008-p17f','UU 14/2008','Pasal 17 huruf f','f','Merugikan kepentingan hubungan luar negeri','["posisi, daya tawar dan strategi negara dalam negosiasi internasional", "korespondensi diplomatik antarnegara", "sistem komunikasi dan persandian dalam hubungan internasional", "perlindungan dan pengamanan infrastruktur strategis Indonesia di luar negeri"]',0,1,'2026-12-02 17:06:44.429794','seed');
INSERT INTO legal_bases VALUES('uu14-2008-p17g','UU 14/2008','Pasal 17 huruf g','g','Mengungkapkan isi akta otentik yang bersifat pribadi dan kemauan terakhir ataupun wasiat seseorang','[]',1,1,'2026-12-02 17:06:44.429816','seed');
INSERT INTO legal_bases VALUES('uu14-2008-p17h','UU 14/2008','Pasal 17 huruf h','h','Mengungkap rahasia pribadi','["riwayat dan kondisi anggota keluarga", "riwayat, kondisi dan perawatan, pengobatan kesehatan fisik, dan psikis seseorang", "kondisi keuangan, aset, pendapatan, dan rekening bank seseorang", "hasil-hasil evaluasi sehubungan dengan kapabilitas, intelektualitas, dan rekomendasi kemampuan seseorang", "catatan yang menyangkut pribadi seseorang yang berkaitan dengan kegiatan satuan pendidikan formal dan nonformal"]',1,1,'2026-12-02 17:06:44.429840','seed');
INSERT INTO legal_bases VALUES('uu14-2008-p17i','UU 14/2008','Pasal 17 huruf i','i','Memorandum atau surat-surat antar/intra Badan Publik yang menurut sifatnya dirahasiakan','[]',1,1,'2026-12-02 17:06:44.429862','seed');
INSERT INTO legal_bases VALUES('uu14-2008-p17j','UU 14/2008','Pasal 17 huruf j','j','Informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang','[]',1,1,'2026-12-02 17:06:44.429882','seed');
INSERT INTO legal_bases VALUES('uu27-2022','UU 27/2022','tentang Pelindungan Data Pribadi','','Pelindungan data pribadi','[]',1,1,'2026-12-02 17:06:44.429904','seed');
INSERT INTO legal_bases VALUES('uu24-2013','UU 23/2006 jo. UU 24/2013','tentang Administrasi Kependudukan','','Perlindungan data pribadi penduduk (NIK, Nomor KK)','[]',1,1,'2026-12-02 17:06:44.429925','seed');
INSERT INTO legal_bases VALUES('uu7-2017','UU 7/2017','tentang Pemilihan Umum','','Penyelenggaraan pemilihan umum','[]',1,1,'2026-12-02 17:06:44.429944','seed');
INSERT INTO legal_bases VALUES('pp61-2010','PP 61/2010','tentang Pelaksanaan UU 14/2008','','Pelaksanaan keterbukaan informasi publik','[]',1,1,'2026-12-02 17:06:44.429963','seed');
INSERT INTO legal_bases VALUES('perki1-2021','Perki 1/2021','tentang Standar Layanan Informasi Publik','','Standar layanan informasi publik, termasuk uji konsekuensi','[]',1,1,'2026-12-02 17:06:44.429982','seed');
CREATE TABLE exemption_settings (
	"key" VARCHAR(64) NOT NULL, 
	value JSON NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE TABLE exemption_documents (
	entry_id INTEGER NOT NULL, 
	document_id VARCHAR(32) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	linked_at DATETIME NOT NULL, 
	linked_by VARCHAR(64) NOT NULL, 
	public_sha256 VARCHAR(64), 
	public_path VARCHAR(1024), 
	public_source_sha256 VARCHAR(64), 
	PRIMARY KEY (entry_id, document_id), 
	FOREIGN KEY(entry_id) REFERENCES exemption_entries (id)
);
INSERT INTO exemption_documents VALUES(1,'0b0b0b0b0b0b0b01','f810df0a4d66bb26b2fcc69af427f482b9317661844ff40486874f7d567d7acb','2026-12-02 17:06:44.469928','ppid1',NULL,NULL,NULL);
CREATE INDEX ix_documents_doc_type ON documents (doc_type);
CREATE INDEX ix_documents_access ON documents (access);
CREATE INDEX ix_documents_number ON documents (number);
CREATE INDEX ix_documents_year ON documents (year);
CREATE UNIQUE INDEX ix_documents_sha256 ON documents (sha256);
CREATE INDEX ix_events_document_id ON events (document_id);
CREATE INDEX ix_events_sha256 ON events (sha256);
CREATE INDEX ix_receipts_document_id ON receipts (document_id);
CREATE INDEX ix_web_sessions_username ON web_sessions (username);
CREATE INDEX ix_audit_log_at ON audit_log (at);
CREATE INDEX ix_audit_log_document_id ON audit_log (document_id);
CREATE INDEX ix_audit_log_username ON audit_log (username);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE INDEX ix_handovers_document_id ON handovers (document_id);
CREATE TRIGGER handovers_no_update BEFORE UPDATE ON handovers BEGIN SELECT RAISE(ABORT, 'handovers is append-only'); END;
CREATE TRIGGER handovers_no_delete BEFORE DELETE ON handovers BEGIN SELECT RAISE(ABORT, 'handovers is append-only'); END;
CREATE INDEX ix_exemption_entries_status ON exemption_entries (status);
CREATE INDEX ix_exemption_entries_next_review ON exemption_entries (next_review);
CREATE INDEX ix_exemption_entries_expires_on ON exemption_entries (expires_on);
CREATE INDEX ix_exemption_events_entry_id ON exemption_events (entry_id);
CREATE INDEX ix_exemption_documents_document_id ON exemption_documents (document_id);
CREATE TRIGGER exemption_events_no_update BEFORE UPDATE ON exemption_events BEGIN SELECT RAISE(ABORT, 'exemption_events is append-only'); END;
CREATE TRIGGER exemption_events_no_delete BEFORE DELETE ON exemption_events BEGIN SELECT RAISE(ABORT, 'exemption_events is append-only'); END;
COMMIT;
