-- CreateTable
CREATE TABLE "account_credentials" (
    "id" SERIAL NOT NULL,
    "accountId" INTEGER NOT NULL,
    "keyId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotatedAt" TIMESTAMP(3),
    "rekeyedAt" TIMESTAMP(3),

    CONSTRAINT "account_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_credentials_accountId_key" ON "account_credentials"("accountId");

-- CreateIndex
CREATE INDEX "account_credentials_keyId_idx" ON "account_credentials"("keyId");

-- AddForeignKey
ALTER TABLE "account_credentials" ADD CONSTRAINT "account_credentials_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
