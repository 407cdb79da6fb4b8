/** Firmware update (admins): choose an uploaded firmware file or upload a new one (straight to the file
 * storage, with its progress), an optional retrieve date, then UpdateFirmware goes out. */

import { Button, Fieldset, Group, Modal, NativeSelect, Progress, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError } from "../../../api";
import { BucketError, postToBucket, stationActivityApi, type FirmwareFile } from "../../../calls/stationActivity";
import { strings } from "../../../strings";
import { ErrorText } from "../../ErrorText";
import { zonedToIso } from "./format";
import { pickingZone, useStationRequest } from "./sending";

const t = strings.stationActivity.firmware;
const c = strings.stationActivity.commands;
const FILES_KEY = ["firmware", "files"];

type Props = { stationId: string; timeZone?: string; onClose: () => void };

export function FirmwareDialog({ stationId, timeZone, onClose }: Props) {
  const [fileId, setFileId] = useState("");
  const [retrieve, setRetrieve] = useState("");
  const queries = useQueryClient();
  const files = useQuery({ queryKey: FILES_KEY, queryFn: stationActivityApi.firmwareFiles });
  const ready = (files.data ?? []).filter((f) => f.state === "Ready");
  const chosen = fileId || ready[0]?.file_id || "";
  const { sending, submit } = useStationRequest(stationId, "firmware-update", () => stationActivityApi.updateFirmware(
    stationId, { file_id: chosen, retrieve_date: retrieve ? zonedToIso(retrieve, timeZone) : undefined },
  ), onClose);
  const zone = pickingZone(timeZone);
  return (
    <Modal opened onClose={onClose} title={t.title} size="lg">
      <Stack>
        <Text>{t.intro}</Text>
        <ErrorText error={files.error} />
        <form onSubmit={submit} id="firmware-update">
          <Stack>
            {files.data && ready.length === 0 && <Text>{t.noFiles}</Text>}
            {ready.length > 0 && (
              <NativeSelect label={t.file} value={chosen} onChange={(e) => setFileId(e.currentTarget.value)}
                data={ready.map((f) => ({ value: f.file_id, label: t.fileOption(f.name, f.version) }))} />
            )}
            <TextInput type="datetime-local" label={t.retrieveDate} description={t.retrieveHint(zone)} value={retrieve}
              onChange={(e) => setRetrieve(e.currentTarget.value)} />
          </Stack>
        </form>
        <Upload onUploaded={(file) => {
          queries.setQueryData<FirmwareFile[]>(FILES_KEY, (old) => [file, ...(old ?? []).filter((f) => f.file_id !== file.file_id)]);
          setFileId(file.file_id);
        }} />
        <ErrorText error={sending.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{c.cancel}</Button>
          <Button type="submit" form="firmware-update" disabled={!chosen} loading={sending.isPending}>{t.send}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The new file's three steps: record it (the API answers a presigned form), post it to the bucket, confirm. */
function Upload({ onUploaded }: { onUploaded: (file: FirmwareFile) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [version, setVersion] = useState("");
  const [progress, setProgress] = useState(0);
  const uploading = useMutation({
    mutationFn: async (picked: File) => {
      setProgress(0);
      const started = await stationActivityApi.startUpload({ name: picked.name, version: version.trim(), size: picked.size });
      await postToBucket(started.upload, picked, setProgress).catch((error: unknown) => {
        throw error instanceof BucketError ? new ApiError(error.status, t.uploadFailed(error.status)) : error;
      });
      return stationActivityApi.confirmUpload(started.file.file_id);
    },
    onSuccess: onUploaded,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file) uploading.mutate(file);
  };
  return (
    <form onSubmit={submit}>
      <Fieldset legend={t.uploadHeading}>
        <Stack gap="sm">
          <TextInput type="file" label={t.newFile} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          <TextInput label={t.version} description={t.versionHint} required maxLength={100} value={version}
            onChange={(e) => setVersion(e.currentTarget.value)} />
          {uploading.isPending && (
            <Progress value={progress * 100} aria-label={t.uploading(Math.round(progress * 100))} />
          )}
          <div role="status" aria-live="polite">
            {uploading.isPending && <Text size="sm">{t.uploading(Math.round(progress * 100))}</Text>}
            {uploading.isSuccess && <Text size="sm">{t.uploaded(uploading.data.name)}</Text>}
          </div>
          <ErrorText error={uploading.error} />
          <Group justify="flex-end">
            <Button type="submit" variant="default" disabled={!file} loading={uploading.isPending}>{t.upload}</Button>
          </Group>
        </Stack>
      </Fieldset>
    </form>
  );
}
